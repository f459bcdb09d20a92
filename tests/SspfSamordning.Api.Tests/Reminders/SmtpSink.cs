using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SspfSamordning.Api.Tests.Reminders;

/// <summary>
/// A minimal SMTP server on 127.0.0.1 (random port) that accepts every message and keeps it: enough for
/// System.Net.Mail's SmtpClient without TLS or authentication. <see cref="Received"/> fires after each accepted message.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    public sealed record Message(string Raw, IReadOnlyList<string> Recipients)
    {
        public string? Header(string name) => Raw.Split("\r\n").TakeWhile(l => l.Length > 0)
            .FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))?[(name.Length + 1)..].Trim();

        /// <summary>The body, decoded from base64 (the sender's transfer encoding).</summary>
        public string Body
        {
            get
            {
                var start = Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
                return Encoding.UTF8.GetString(Convert.FromBase64String(Raw[start..].Replace("\r\n", "")));
            }
        }
    }

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;

    public ConcurrentQueue<Message> Messages { get; } = new();

    /// <summary>While set, every recipient is refused with a temporary error (451), as a server that is down for mail would.</summary>
    public volatile bool Refuse;

    /// <summary>While set, a message is received but never acknowledged: the server stops answering after the data, as a hung one would.</summary>
    public volatile bool Stall;
    public Action<Message>? Received { get; set; }
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public SmtpSink()
    {
        listener.Start();
        accepting = AcceptAsync();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (OperationCanceledException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 sink ESMTP");
        var recipients = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (command)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-sink");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "RCPT" when Refuse:
                    await writer.WriteLineAsync("451 4.3.0 Try again later");
                    break;
                case "RCPT":
                    recipients.Add(line[(line.IndexOf(':') + 1)..].Trim().Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    var message = new Message(data.ToString(), recipients.ToList());
                    recipients.Clear();
                    Messages.Enqueue(message);
                    Received?.Invoke(message);
                    if (Stall)
                    {
                        try { await Task.Delay(Timeout.Infinite, stop.Token); }
                        catch (OperationCanceledException) { }
                        return;
                    }
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}

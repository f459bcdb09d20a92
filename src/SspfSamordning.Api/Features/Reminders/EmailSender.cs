using System.Net;
using System.Net.Mime;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>
/// SMTP through System.Net.Mail, from <c>Email:*</c>. One connection per message; the dispatcher retries failures.
/// Each message carries its delivery id (<c>X-Sspf-Delivery</c>), so a receiving system can drop the rare duplicate.
/// <c>Email:Timeout</c> bounds a send, the asynchronous one included (a server that stops answering fails the attempt
/// with SmtpException GeneralFailure; <c>EmailAndInboxTests.ASendTheServerStopsAnswering_…</c>); a cancellation token
/// would not — SendMailAsync does not stop waiting for the server's reply when it is cancelled. The job's claim
/// (<see cref="ReminderOptions.EmailClaim"/>) must be longer, which start-up checks.
/// </summary>
public sealed class EmailSender(IOptions<EmailOptions> options)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.Host);

    public async Task SendAsync(Guid deliveryId, string to, string text)
    {
        var o = options.Value;
        using var client = new SmtpClient(o.Host, o.Port)
        {
            EnableSsl = o.EnableSsl,
            Timeout = (int)o.Timeout.TotalMilliseconds,
            DeliveryMethod = SmtpDeliveryMethod.Network,
        };
        if (!string.IsNullOrEmpty(o.UserName)) client.Credentials = new NetworkCredential(o.UserName, o.Password);
        using var message = new MailMessage(o.From, to, ReminderText.EmailSubject, text)
        {
            BodyEncoding = Encoding.UTF8,
            SubjectEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.Base64,
        };
        message.Headers.Add("X-Sspf-Delivery", deliveryId.ToString());
        await client.SendMailAsync(message);
    }
}

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
/// A send that takes longer than <c>Email:Timeout</c> is cancelled (<see cref="TimeoutException"/>): SmtpClient's own
/// Timeout applies to its synchronous Send only, and a send that hung past the job's claim
/// (<see cref="ReminderOptions.EmailClaim"/>, which start-up checks is longer) would be sent again beside it.
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
        using var timeout = new CancellationTokenSource(o.Timeout);
        try
        {
            await client.SendMailAsync(message, timeout.Token);
        }
        catch (Exception e) when (timeout.IsCancellationRequested && e is OperationCanceledException or SmtpException)
        {
            // Cancelled mid-conversation, SmtpClient reports a GeneralFailure: named here for what it was.
            throw new TimeoutException($"The SMTP server did not complete the send within {o.Timeout}.", e);
        }
    }
}

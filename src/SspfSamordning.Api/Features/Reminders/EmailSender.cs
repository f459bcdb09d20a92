using System.Net;
using System.Net.Mail;
using System.Text;
using Microsoft.Extensions.Options;
using SspfSamordning.Domain;

namespace SspfSamordning.Api.Features.Reminders;

/// <summary>SMTP through System.Net.Mail, from <c>Email:*</c>. One connection per message; the dispatcher retries failures.</summary>
public sealed class EmailSender(IOptions<EmailOptions> options)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.Host);

    public async Task SendAsync(string to, string text)
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
        };
        await client.SendMailAsync(message);
    }
}

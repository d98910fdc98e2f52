using System.Net;
using OAuthSmtp.Engine.Relay;
using OAuthSmtp.Relay.Logging;
using SmtpServer;
using SmtpServer.Net;
using SmtpServer.Protocol;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// What a session knows about its device, kept in the session's properties, and the one way to refuse: a clear SMTP
/// reply to the device and a line in the outcome log, nothing forwarded.
/// </summary>
internal sealed class InboundRefusals
{
    private const string DeviceKey = "OAuthSmtp.Relay:Device";

    private readonly RelayLogs _logs;

    public InboundRefusals(RelayLogs logs) => _logs = logs;

    public static IPAddress RemoteAddress(ISessionContext context) =>
        context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var value) && value is IPEndPoint endpoint
            ? DeviceDirectory.Normalize(endpoint.Address)
            : IPAddress.None;

    public static RelayClient? Device(ISessionContext context) =>
        context.Properties.TryGetValue(DeviceKey, out var value) ? value as RelayClient : null;

    public static void SetDevice(ISessionContext context, RelayClient? device)
    {
        if (device is null)
        {
            context.Properties.Remove(DeviceKey);
        }
        else
        {
            context.Properties[DeviceKey] = device;
        }
    }

    /// <summary>Logs the refusal and returns the exception that makes SmtpServer send the reply.</summary>
    public SmtpResponseException Refuse(ISessionContext context, int code, string text, string reason, string? mailFrom = null, string? recipient = null, bool quit = false)
    {
        Log(RemoteAddress(context).ToString(), Device(context)?.Name, code, text, reason, mailFrom, recipient);
        return new SmtpResponseException(new SmtpResponse((SmtpReplyCode)code, text), quit);
    }

    public void Log(string source, string? device, int code, string text, string reason, string? mailFrom = null, string? recipient = null) =>
        _logs.Outcomes.Write(new OutcomeEntry
        {
            Event = "refused",
            Source = source,
            Device = device,
            MailFrom = mailFrom,
            Recipients = recipient is null ? null : new[] { recipient },
            Reply = $"{code} {text}",
            Reason = reason,
        });
}

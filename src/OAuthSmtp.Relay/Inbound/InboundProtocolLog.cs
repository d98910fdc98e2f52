using System;
using OAuthSmtp.Relay.Logging;
using SmtpServer;
using SmtpServer.Protocol;

namespace OAuthSmtp.Relay.Inbound;

/// <summary>
/// The devices' side of the dialogue in logs/inbound.jsonl: session start and end, and each command with its
/// arguments, except AUTH, of which only the mechanism is written (the credential never reaches a file). The
/// message content is not logged.
/// </summary>
internal sealed class InboundProtocolLog
{
    private readonly JsonLinesLog _log;

    public InboundProtocolLog(JsonLinesLog log) => _log = log;

    public void Attach(ISessionContext context)
    {
        var session = context.SessionId.ToString("N")[..12];
        context.CommandExecuting += (_, e) => _log.Write(new Line(session, InboundRefusals.RemoteAddress(context).ToString(), "command", Describe(e.Command)));
        context.SessionAuthenticated += (_, _) => _log.Write(new Line(session, InboundRefusals.RemoteAddress(context).ToString(), "authenticated", InboundRefusals.Device(context)?.Name ?? string.Empty));
        context.ResponseException += (_, e) => _log.Write(new Line(session, InboundRefusals.RemoteAddress(context).ToString(), "reply", $"{(int)e.Exception.Response.ReplyCode} {e.Exception.Response.Message}"));
    }

    public void Session(ISessionContext context, string what) =>
        _log.Write(new Line(context.SessionId.ToString("N")[..12], InboundRefusals.RemoteAddress(context).ToString(), what, string.Empty));

    public static string Describe(SmtpCommand command) => command switch
    {
        AuthCommand auth => "AUTH " + auth.Method.ToString().ToUpperInvariant() + " [redacted]",
        MailCommand mail => "MAIL FROM:<" + SenderRules.Address(mail.Address) + ">",
        RcptCommand rcpt => "RCPT TO:<" + SenderRules.Address(rcpt.Address) + ">",
        EhloCommand ehlo => "EHLO " + ehlo.DomainOrAddress,
        HeloCommand helo => "HELO " + helo.DomainOrAddress,
        _ => command.Name,
    };

    private sealed record Line(string Session, string Source, string Event, string Text)
    {
        public DateTimeOffset Time { get; } = DateTimeOffset.UtcNow;
    }
}

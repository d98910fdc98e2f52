using System;
using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Retries;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>
/// The SMTP probe over the sending engine's own session (MailKit, STARTTLS with certificate validation, XOAUTH2), so
/// the doctor sees exactly what Send-SmtpOAuthMessage will see, and the same reply translation.
/// </summary>
public sealed class ExchangeSmtpProbe : ISmtpProbe
{
    /// <summary>Network timeout per operation: the doctor should answer quickly when a server is silent.</summary>
    public int TimeoutMs { get; set; } = 30_000;

    public async Task<SmtpHandshakeResult> HandshakeAsync(string server, int port, string mailbox, AccessToken token, CancellationToken cancellationToken)
    {
        using var session = new SmtpSession(Options(server, port, mailbox, token));
        var client = await session.GetClientAsync(cancellationToken).ConfigureAwait(false);
        var mechanisms = string.Join(" ", client.AuthenticationMechanisms);
        var tls = client.SslProtocol.ToString();
        await session.CloseAsync(cancellationToken).ConfigureAwait(false);
        return new SmtpHandshakeResult(server, port, tls, mechanisms, "235 authentication accepted");
    }

    public async Task<string> SendTestMessageAsync(string server, int port, string mailbox, AccessToken token, string from, string recipient, CancellationToken cancellationToken)
    {
        var request = new MessageRequest
        {
            From = from,
            Subject = "OAuthSmtp setup test",
            Body = $"This message was sent by Test-SmtpOAuthSetup at {DateTimeOffset.UtcNow:u} to confirm that {mailbox} can send through {server} with OAuth (XOAUTH2).",
        };
        request.To.Add(recipient);
        var message = MessageBuilder.Build(request, mailbox);
        var options = Options(server, port, mailbox, token);
        options.Retry = RetryPolicy.None;
        using var sender = new MessageSender(options);
        var result = await sender.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await sender.CloseAsync(cancellationToken).ConfigureAwait(false);
        if (result.GetError() is { } error)
        {
            throw error;
        }

        return result.ServerReply ?? $"accepted as {result.MessageId}";
    }

    private SmtpSenderOptions Options(string server, int port, string mailbox, AccessToken token) =>
        new(server, port, mailbox, new FixedTokenSource(token)) { TimeoutMs = TimeoutMs };

    /// <summary>The token the doctor already got: the probe must use exactly that one.</summary>
    private sealed class FixedTokenSource : IAccessTokenSource
    {
        private readonly AccessToken _token;

        public FixedTokenSource(AccessToken token) => _token = token;

        public Task<AccessToken> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => Task.FromResult(_token);
    }
}

using System.Threading;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Tokens;

namespace OAuthSmtp.Engine.Setup.Probes;

/// <summary>
/// Talks to the SMTP server the way sending will: connect, STARTTLS (certificate validated), EHLO, AUTH XOAUTH2.
/// Failures are thrown as OAuthSmtpExceptions (SMTP replies translated by SmtpReplyTranslator).
/// </summary>
public interface ISmtpProbe
{
    /// <summary>Authenticates and disconnects without sending anything.</summary>
    Task<SmtpHandshakeResult> HandshakeAsync(string server, int port, string mailbox, AccessToken token, CancellationToken cancellationToken);

    /// <summary>Sends one short test message from <paramref name="from"/> to <paramref name="recipient"/>; returns the server's final reply.</summary>
    Task<string> SendTestMessageAsync(string server, int port, string mailbox, AccessToken token, string from, string recipient, CancellationToken cancellationToken);
}

/// <summary>What the handshake saw.</summary>
public sealed class SmtpHandshakeResult
{
    public SmtpHandshakeResult(string server, int port, string tlsProtocol, string authenticationMechanisms, string authenticationReply)
    {
        Server = server;
        Port = port;
        TlsProtocol = tlsProtocol;
        AuthenticationMechanisms = authenticationMechanisms;
        AuthenticationReply = authenticationReply;
    }

    public string Server { get; }

    public int Port { get; }

    /// <summary>Tls12, Tls13.</summary>
    public string TlsProtocol { get; }

    /// <summary>What EHLO offered after STARTTLS ("LOGIN XOAUTH2").</summary>
    public string AuthenticationMechanisms { get; }

    /// <summary>The server's answer to AUTH ("235 2.7.0 Authentication successful").</summary>
    public string AuthenticationReply { get; }
}

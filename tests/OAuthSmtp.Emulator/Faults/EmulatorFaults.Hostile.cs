using System;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator.Hostile;
using OAuthSmtp.Emulator.Smtp;

namespace OAuthSmtp.Emulator;

// Hostile peers for the reliability tests: a server that stops answering, answers with endless or oversized lines,
// sends garbage where TLS should start or presents the wrong certificate; a token service that is slow or answers
// nonsense. Each is off by default and cleared by Reset.
public sealed partial class EmulatorFaults
{
    /// <summary>Hostile server: at this stage the server reads the command and never answers (until the client leaves).</summary>
    public SmtpStage? SmtpNeverReplyAt { get; set; }

    /// <summary>Hostile server: when above 0, the EHLO reply is one line of this many bytes with no line end before it.</summary>
    public int SmtpOversizedReplyBytes { get; set; }

    /// <summary>Hostile server: STARTTLS is answered 220, then random bytes come instead of a TLS handshake.</summary>
    public bool SmtpGarbageAfterStartTls { get; set; }

    /// <summary>The certificate STARTTLS presents instead of the emulator's own (see <see cref="HostileCertificates"/>); null = the normal one.</summary>
    public X509Certificate2? SmtpServerCertificate { get; set; }

    /// <summary>How the token endpoint misbehaves (client credentials and every other grant); None = normally.</summary>
    public HostileTokenMode TokenServiceHostility { get; set; }

    /// <summary>With <see cref="HostileTokenMode.Slow"/>: how long the answer is held, in milliseconds.</summary>
    public int TokenServiceDelayMs { get; set; } = 60_000;

    /// <summary>With <see cref="HostileTokenMode.HugeBody"/>: the size of the body, in bytes.</summary>
    public long TokenServiceBodyBytes { get; set; } = 256L * 1024 * 1024;

    partial void ResetHostile()
    {
        SmtpNeverReplyAt = null;
        SmtpOversizedReplyBytes = 0;
        SmtpGarbageAfterStartTls = false;
        SmtpServerCertificate = null;
        TokenServiceHostility = HostileTokenMode.None;
        TokenServiceDelayMs = 60_000;
        TokenServiceBodyBytes = 256L * 1024 * 1024;
    }
}

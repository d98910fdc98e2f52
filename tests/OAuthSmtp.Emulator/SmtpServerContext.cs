using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator;

/// <summary>Everything the SMTP submission server needs from the emulator host, handed over at construction.</summary>
public sealed class SmtpServerContext
{
    public required TenantModel Tenant { get; init; }

    public required EmulatorClock Clock { get; init; }

    public required EmulatorFaults Faults { get; init; }

    public required EmulatorStatistics Statistics { get; init; }

    public required DeliveredMessageStore Delivered { get; init; }

    public required AccessTokenValidator TokenValidator { get; init; }

    /// <summary>The certificate STARTTLS presents (issued by the emulator CA for localhost and 127.0.0.1).</summary>
    public required X509Certificate2 ServerCertificate { get; init; }

    /// <summary>The name clients connect to and the server greets with.</summary>
    public string HostName { get; init; } = "localhost";
}

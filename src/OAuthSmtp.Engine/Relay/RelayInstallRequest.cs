using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Relay;

/// <summary>What Install-SmtpOAuthRelay asks for; unset values keep the defaults of <see cref="RelayConfiguration.CreateDefault(string, int)"/>.</summary>
public sealed class RelayInstallRequest
{
    public string? Path { get; set; }

    public int Port { get; set; } = RelayConfiguration.DefaultPort;

    /// <summary>Addresses to listen on besides loopback (each needs <see cref="AllowedSources"/>).</summary>
    public IList<string> ListenAddresses { get; set; } = new List<string>();

    /// <summary>Source ranges allowed on the listeners off loopback.</summary>
    public IList<string> AllowedSources { get; set; } = new List<string>();

    /// <summary>Ranges where AUTH without TLS is accepted, besides loopback.</summary>
    public IList<string> CleartextAuthRanges { get; set; } = new List<string>();

    public string? CertificatePath { get; set; }

    public string? CertificateThumbprint { get; set; }

    public long? MaxMessageBytes { get; set; }

    public int? MaxConnectionsPerSource { get; set; }

    public int? AuthFailuresBeforeLockout { get; set; }

    public TimeSpan? LockoutDuration { get; set; }

    public string? ProfileStorePath { get; set; }

    public string? SpoolPath { get; set; }

    public string? LogPath { get; set; }

    /// <summary>Register no service: Start-SmtpOAuthRelay runs the relay as a background process.</summary>
    public bool NoService { get; set; }

    /// <summary>Replace an existing configuration's settings (its devices are kept).</summary>
    public bool Force { get; set; }
}

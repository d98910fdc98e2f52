namespace OAuthSmtp.Engine.Relay;

/// <summary>The relay's inbound STARTTLS certificate.</summary>
public sealed class RelayTlsSettings
{
    public RelayCertificateSource CertificateSource { get; set; } = RelayCertificateSource.None;

    /// <summary>The .pfx for File and Generated (relative paths are under the relay home).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>SHA-1 thumbprint, 40 hex characters: which certificate (Store), or which one was generated or given (shown to pin).</summary>
    public string? CertificateThumbprint { get; set; }
}

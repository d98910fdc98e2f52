namespace OAuthSmtp.Engine.Relay;

/// <summary>Where the relay's STARTTLS certificate comes from.</summary>
public enum RelayCertificateSource
{
    /// <summary>No STARTTLS: only for loopback, or for devices that speak no TLS at all (cleartext-AUTH ranges).</summary>
    None,

    /// <summary>A self-signed certificate generated at install time into the relay home (its thumbprint is shown so devices can pin it).</summary>
    Generated,

    /// <summary>A .pfx (PKCS#12, without password) the admin provides.</summary>
    File,

    /// <summary>A certificate in the Windows LocalMachine\My store, by thumbprint.</summary>
    Store,
}

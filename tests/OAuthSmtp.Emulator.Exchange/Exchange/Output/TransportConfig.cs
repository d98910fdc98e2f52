namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>Get-TransportConfig output: the organisation's transport settings that matter for SMTP AUTH.</summary>
public sealed class TransportConfig
{
    public string Identity { get; init; } = "Transport Settings";
    public string Name { get; init; } = "Transport Settings";
    public bool SmtpClientAuthenticationDisabled { get; init; }
    public bool AllowLegacyTLSClients { get; init; }
    public long MaxSendSize { get; init; } = 35L * 1024 * 1024;
    public long MaxReceiveSize { get; init; } = 36L * 1024 * 1024;
    public int MaxRecipientEnvelopeLimit { get; init; } = 500;
    public bool IsValid { get; init; } = true;

    public override string ToString() => Identity;
}

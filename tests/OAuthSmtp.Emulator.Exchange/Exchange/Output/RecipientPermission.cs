namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>One SendAs entry, as Get-/Add-RecipientPermission show it (EXCHANGE-FACTS 6.2).</summary>
public sealed class RecipientPermission
{
    public string Identity { get; init; } = "";
    public string Trustee { get; init; } = "";
    public string AccessControlType { get; init; } = "Allow";
    public string[] AccessRights { get; init; } = { "SendAs" };
    public bool IsInherited { get; init; }
    public string InheritanceType { get; init; } = "None";
    public bool IsValid { get; init; } = true;

    public override string ToString() => $"{Identity} {Trustee} {{{string.Join(", ", AccessRights)}}}";
}

namespace OAuthSmtp.Emulator.PowerShell.Exchange.Output;

/// <summary>One mailbox permission entry, as Get-/Add-MailboxPermission show it (Exchange's own type name).</summary>
public sealed class MailboxAcePresentationObject
{
    public string Identity { get; init; } = "";
    public string User { get; init; } = "";
    public string[] AccessRights { get; init; } = System.Array.Empty<string>();
    public bool IsInherited { get; init; }
    public bool Deny { get; init; }
    public string InheritanceType { get; init; } = "All";
    public bool IsValid { get; init; } = true;

    public override string ToString() => $"{Identity} {User} {{{string.Join(", ", AccessRights)}}}";
}

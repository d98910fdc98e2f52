namespace OAuthSmtp.Emulator.Model;

/// <summary>Kinds of change that take effect after their own propagation delay (Set-EmuPropagationDelay).</summary>
public enum ChangeKind
{
    ServicePrincipal,
    MailboxPermission,
    RecipientPermission,
    CasMailbox,
    TransportConfig,
    RoleAssignment,
    Consent,
    Mailbox,
}

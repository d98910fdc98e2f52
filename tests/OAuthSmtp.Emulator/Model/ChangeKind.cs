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

    /// <summary>An app role granted to a managed identity: Azure caches its tokens for about 24 hours (MI-DOCS).</summary>
    ManagedIdentityRoles,
}

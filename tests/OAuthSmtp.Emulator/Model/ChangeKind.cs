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

    /// <summary>
    /// A new app registration, enterprise app, client secret or certificate written through Graph: the sign-in service
    /// refuses it (AADSTS700016, 7000215, 700027) until it has replicated.
    /// </summary>
    DirectoryReplication,
}

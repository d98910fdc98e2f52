using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Emulator.Model;

/// <summary>
/// Microsoft Entra built-in roles by name and role template id: the same GUIDs in every tenant, which delegated tokens
/// carry in wids (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference). Every member
/// user also holds the default "User" template b79fbf4d-…, which real tokens list in wids as well.
/// </summary>
public static class DirectoryRoleTemplates
{
    public static readonly Guid GlobalAdministrator = Guid.Parse("62e90394-69f5-4237-9190-012177145e10");
    public static readonly Guid PrivilegedRoleAdministrator = Guid.Parse("e8611ab8-c189-46e8-94e1-60213ab1f814");
    public static readonly Guid ApplicationAdministrator = Guid.Parse("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3");
    public static readonly Guid CloudApplicationAdministrator = Guid.Parse("158c047a-c907-4556-b7ef-446551a6b5f7");
    public static readonly Guid ApplicationDeveloper = Guid.Parse("cf1c38e5-3621-4004-a7cb-879624dced7c");
    public static readonly Guid ExchangeAdministrator = Guid.Parse("29232cdf-9323-42fd-ade2-1d097af3e4de");
    public static readonly Guid GlobalReader = Guid.Parse("f2ef992c-3afb-46b9-b7cf-a126ee74c451");

    /// <summary>The default role of every member user (wids always has it; Graph does not list it as a directoryRole).</summary>
    public static readonly Guid User = Guid.Parse("b79fbf4d-3ef9-4689-8143-76b194e85509");

    /// <summary>Display names as Graph's directoryRole.displayName shows them.</summary>
    public static IReadOnlyDictionary<Guid, string> Names { get; } = new Dictionary<Guid, string>
    {
        [GlobalAdministrator] = "Global Administrator",
        [PrivilegedRoleAdministrator] = "Privileged Role Administrator",
        [ApplicationAdministrator] = "Application Administrator",
        [CloudApplicationAdministrator] = "Cloud Application Administrator",
        [ApplicationDeveloper] = "Application Developer",
        [ExchangeAdministrator] = "Exchange Administrator",
        [GlobalReader] = "Global Reader",
    };

    /// <summary>A role by display name (spaces optional, case-insensitive) or template id; null when unknown.</summary>
    public static Guid? Find(string nameOrId)
    {
        if (Guid.TryParse(nameOrId, out var id))
        {
            return Names.ContainsKey(id) ? id : null;
        }

        var wanted = nameOrId.Replace(" ", "", StringComparison.Ordinal);
        var match = Names.FirstOrDefault(p => string.Equals(p.Value.Replace(" ", "", StringComparison.Ordinal), wanted, StringComparison.OrdinalIgnoreCase));
        return match.Value is null ? null : match.Key;
    }

    /// <summary>Roles that may consent to any permission of any API, Microsoft Graph app roles included.</summary>
    public static IReadOnlyList<Guid> ConsentToAnyPermission { get; } = new[] { GlobalAdministrator, PrivilegedRoleAdministrator };

    /// <summary>Roles that may consent to delegated permissions and to app roles of APIs other than Microsoft Graph.</summary>
    public static IReadOnlyList<Guid> ConsentExceptGraphAppRoles { get; } = new[] { GlobalAdministrator, PrivilegedRoleAdministrator, ApplicationAdministrator, CloudApplicationAdministrator };

    /// <summary>Roles that manage every app registration and enterprise app (create, update, credentials, delete).</summary>
    public static IReadOnlyList<Guid> ManageAllApplications { get; } = new[] { GlobalAdministrator, ApplicationAdministrator, CloudApplicationAdministrator };

    /// <summary>Roles that may register apps when "Users can register applications" is off.</summary>
    public static IReadOnlyList<Guid> RegisterApplications { get; } = new[] { GlobalAdministrator, ApplicationAdministrator, CloudApplicationAdministrator, ApplicationDeveloper };
}

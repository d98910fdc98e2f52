using System;
using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Entra;

/// <summary>
/// The Entra built-in directory roles the setup cares about, by their template ids (the same in every tenant; the
/// wids claim of a delegated token and a directoryRole's roleTemplateId carry them).
/// Who may do what (Microsoft Learn, "Grant tenant-wide admin consent to an application", prerequisites, and
/// "Least privileged roles by task", Enterprise applications): Privileged Role Administrator may consent to any
/// permission of any API; Cloud Application Administrator and Application Administrator to any permission except
/// Microsoft Graph application permissions, so also to Office 365 Exchange Online's SMTP.SendAsApp and SMTP.Send.
/// Creating app registrations: any member while "Users can register applications" is on (the default), otherwise
/// Application Developer (at most 250 apps), Cloud Application Administrator or Application Administrator.
/// Global Administrator may do all of it.
/// </summary>
public static class DirectoryRoles
{
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string PrivilegedRoleAdministrator = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    public const string ApplicationAdministrator = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
    public const string CloudApplicationAdministrator = "158c047a-c907-4556-b7ef-446551a6b5f7";
    public const string ApplicationDeveloper = "cf1c38e5-3621-4004-a7cb-879624dced7c";

    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        [GlobalAdministrator] = "Global Administrator",
        [PrivilegedRoleAdministrator] = "Privileged Role Administrator",
        [ApplicationAdministrator] = "Application Administrator",
        [CloudApplicationAdministrator] = "Cloud Application Administrator",
        [ApplicationDeveloper] = "Application Developer",
    };

    /// <summary>Roles that may grant admin consent to Exchange Online's application and delegated permissions (least privileged first).</summary>
    public static IReadOnlyList<string> MayConsentToExchangePermissions { get; } =
        new[] { CloudApplicationAdministrator, ApplicationAdministrator, PrivilegedRoleAdministrator, GlobalAdministrator };

    /// <summary>Roles that may create app registrations and their enterprise applications even where users may not (least privileged first).</summary>
    public static IReadOnlyList<string> MayCreateApplications { get; } =
        new[] { ApplicationDeveloper, CloudApplicationAdministrator, ApplicationAdministrator, GlobalAdministrator };

    /// <summary>The role's display name, or the template id itself for a role not listed here.</summary>
    public static string NameOf(string templateId) =>
        templateId is not null && Names.TryGetValue(templateId, out var name) ? name : templateId ?? string.Empty;

    /// <summary>"Cloud Application Administrator, Application Administrator or Global Administrator".</summary>
    public static string Describe(IEnumerable<string> templateIds)
    {
        var names = templateIds.Select(NameOf).ToList();
        return names.Count <= 1 ? string.Concat(names) : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[names.Count - 1];
    }
}

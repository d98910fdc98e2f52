using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>
/// <see cref="IExchangeAdmin"/> over any runner of Exchange admin commands: the PowerShell layer runs them in the
/// admin's session (ExchangeOnlineManagement, or anything with the same names and output property names) and hands
/// back each output object as a property bag. The runner throws <see cref="ExchangeAdminException"/> on failure.
/// Kept free of PowerShell types so the cmdlet assembly never has to implement an engine interface (its types must
/// load before the engine's load context is registered).
/// </summary>
public sealed class CommandExchangeAdmin : IExchangeAdmin
{
    private readonly Func<ExchangeCommand, IReadOnlyList<IReadOnlyDictionary<string, object?>>> _run;
    private readonly Func<string, bool> _hasCommand;

    /// <param name="run">Runs one command and returns its output objects' properties (values unwrapped, collections as IEnumerable).</param>
    /// <param name="hasCommand">Whether the session has a command of that name.</param>
    public CommandExchangeAdmin(Func<ExchangeCommand, IReadOnlyList<IReadOnlyDictionary<string, object?>>> run, Func<string, bool> hasCommand)
    {
        _run = run ?? throw new ArgumentNullException(nameof(run));
        _hasCommand = hasCommand ?? throw new ArgumentNullException(nameof(hasCommand));
    }

    public IReadOnlyList<ExchangeServicePrincipalRecord> GetServicePrincipals() =>
        _run(new ExchangeCommand("Get-ServicePrincipal"))
            .Select(sp => new ExchangeServicePrincipalRecord(
                Text(sp, "Identity") ?? Text(sp, "ObjectId") ?? string.Empty,
                Text(sp, "AppId") ?? string.Empty,
                Text(sp, "ObjectId") ?? Text(sp, "ServiceId") ?? string.Empty,
                Text(sp, "DisplayName") ?? string.Empty))
            .ToList();

    public ExchangeMailboxRecord? GetMailbox(string identity)
    {
        IReadOnlyList<IReadOnlyDictionary<string, object?>> found;
        try
        {
            // Get-EXOMailbox returns SKUAssigned only when asked for it by name; Get-Mailbox returns every property.
            found = _run(_hasCommand("Get-EXOMailbox")
                ? new ExchangeCommand("Get-EXOMailbox", ("Identity", identity), ("Properties", new[] { "SKUAssigned" }))
                : new ExchangeCommand("Get-Mailbox", ("Identity", identity)));
        }
        catch (ExchangeAdminException ex) when (ex.ObjectNotFound)
        {
            return null;
        }

        var mailbox = found.FirstOrDefault();
        return mailbox is null
            ? null
            : new ExchangeMailboxRecord(
                Text(mailbox, "Identity") ?? identity,
                Text(mailbox, "PrimarySmtpAddress") ?? identity,
                Text(mailbox, "UserPrincipalName") ?? string.Empty,
                Text(mailbox, "RecipientTypeDetails") ?? string.Empty,
                Text(mailbox, "ExternalDirectoryObjectId"),
                List(mailbox, "EmailAddresses"),
                Bool(mailbox, "SKUAssigned"));
    }

    public IReadOnlyList<MailboxPermissionRecord> GetMailboxPermissions(string mailbox) =>
        _run(new ExchangeCommand("Get-MailboxPermission", ("Identity", mailbox)))
            .Select(p => new MailboxPermissionRecord(
                Text(p, "Identity") ?? mailbox,
                Text(p, "User") ?? string.Empty,
                List(p, "AccessRights"),
                Bool(p, "Deny") ?? false,
                Bool(p, "IsInherited") ?? false))
            .ToList();

    public IReadOnlyList<RecipientPermissionRecord> GetRecipientPermissions(string identity) =>
        _run(new ExchangeCommand("Get-RecipientPermission", ("Identity", identity)))
            .Select(p => new RecipientPermissionRecord(
                Text(p, "Identity") ?? identity,
                Text(p, "Trustee") ?? string.Empty,
                List(p, "AccessRights"),
                Text(p, "AccessControlType") ?? "Allow"))
            .ToList();

    public bool? GetMailboxSmtpClientAuthenticationDisabled(string mailbox)
    {
        // Get-EXOCasMailbox returns SmtpClientAuthenticationDisabled only when asked for it by name.
        var command = _hasCommand("Get-EXOCasMailbox")
            ? new ExchangeCommand("Get-EXOCasMailbox", ("Identity", mailbox), ("Properties", new[] { "SmtpClientAuthenticationDisabled" }))
            : new ExchangeCommand("Get-CASMailbox", ("Identity", mailbox));
        var cas = _run(command).FirstOrDefault();
        return cas is null ? null : Bool(cas, "SmtpClientAuthenticationDisabled");
    }

    public bool GetOrganizationSmtpClientAuthenticationDisabled()
    {
        var config = _run(new ExchangeCommand("Get-TransportConfig")).FirstOrDefault();
        return config is not null && (Bool(config, "SmtpClientAuthenticationDisabled") ?? false);
    }

    public IReadOnlyList<ServicePrincipalAuthorizationRecord>? TestServicePrincipalAuthorization(string servicePrincipal, string mailbox)
    {
        if (!_hasCommand("Test-ServicePrincipalAuthorization"))
        {
            return null;
        }

        return _run(new ExchangeCommand("Test-ServicePrincipalAuthorization", ("Identity", servicePrincipal), ("Resource", mailbox)))
            .Select(r => new ServicePrincipalAuthorizationRecord(
                Text(r, "RoleName") ?? string.Empty,
                Text(r, "AllowedResourceScope") ?? string.Empty,
                Text(r, "ScopeType") ?? string.Empty,
                Text(r, "InScope") ?? string.Empty))
            .ToList();
    }

    public void NewServicePrincipal(string appId, string objectId, string displayName) =>
        _run(new ExchangeCommand("New-ServicePrincipal", ("AppId", appId), ("ObjectId", objectId), ("DisplayName", displayName)));

    public void RemoveServicePrincipal(string identity) =>
        _run(new ExchangeCommand("Remove-ServicePrincipal", ("Identity", identity)));

    public void AddMailboxPermission(string mailbox, string user) =>
        _run(new ExchangeCommand("Add-MailboxPermission", ("Identity", mailbox), ("User", user), ("AccessRights", new[] { "FullAccess" }), ("InheritanceType", "All")));

    public void SetMailboxSmtpClientAuthenticationDisabled(string mailbox, bool disabled) =>
        _run(new ExchangeCommand("Set-CASMailbox", ("Identity", mailbox), ("SmtpClientAuthenticationDisabled", disabled)));

    public void AddRecipientPermission(string identity, string trustee) =>
        _run(new ExchangeCommand("Add-RecipientPermission", ("Identity", identity), ("Trustee", trustee), ("AccessRights", new[] { "SendAs" })));

    public void NewManagementScope(string name, string recipientRestrictionFilter) =>
        _run(new ExchangeCommand("New-ManagementScope", ("Name", name), ("RecipientRestrictionFilter", recipientRestrictionFilter)));

    public void NewManagementRoleAssignment(string name, string role, string app, string customResourceScope) =>
        _run(new ExchangeCommand("New-ManagementRoleAssignment", ("Name", name), ("Role", role), ("App", app), ("CustomResourceScope", customResourceScope)));

    private static object? Value(IReadOnlyDictionary<string, object?> item, string name) =>
        item.TryGetValue(name, out var value) ? value : null;

    private static string? Text(IReadOnlyDictionary<string, object?> item, string name)
    {
        var value = Value(item, name);
        return value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    private static bool? Bool(IReadOnlyDictionary<string, object?> item, string name) => Value(item, name) switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A multi-valued property: an array, a collection, or Exchange's "FullAccess, ReadPermission" text.</summary>
    private static IReadOnlyList<string> List(IReadOnlyDictionary<string, object?> item, string name) => Value(item, name) switch
    {
        null => Array.Empty<string>(),
        string text => Split(text).ToList(),
        IEnumerable values => values.Cast<object?>().Where(v => v is not null)
            .SelectMany(v => Split(Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty)).ToList(),
        var other => Split(Convert.ToString(other, CultureInfo.InvariantCulture) ?? string.Empty).ToList(),
    };

    private static IEnumerable<string> Split(string text) =>
        text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).Where(t => t.Length > 0);
}

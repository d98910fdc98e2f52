using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Engine.Setup.Exchange;

namespace OAuthSmtp.PowerShell.Setup;

/// <summary>
/// <see cref="IExchangeAdmin"/> over the admin's own Exchange Online session: the ExchangeOnlineManagement cmdlets
/// (or any module with the same names and output properties) run in the current runspace through a nested pipeline
/// on the cmdlet's thread. Each command runs with -ErrorAction Stop; its failure becomes an
/// <see cref="ExchangeAdminException"/> carrying Exchange's own message.
/// </summary>
internal sealed class RunspaceExchangeAdmin : IExchangeAdmin
{
    private readonly PSCmdlet _cmdlet;
    private readonly Action<string>? _verbose;

    private RunspaceExchangeAdmin(PSCmdlet cmdlet, Action<string>? verbose)
    {
        _cmdlet = cmdlet;
        _verbose = verbose;
    }

    /// <summary>The session's Exchange admin, or null with the reason when no Exchange Online session is connected.</summary>
    public static RunspaceExchangeAdmin? Connect(PSCmdlet cmdlet, Action<string>? verbose, out string? whyNot)
    {
        if (!HasCommand(cmdlet, "Get-ServicePrincipal"))
        {
            whyNot = "the Exchange Online cmdlets are not loaded in this session (ExchangeOnlineManagement is not imported, or Connect-ExchangeOnline has not run)";
            return null;
        }

        if (HasCommand(cmdlet, "Get-ConnectionInformation"))
        {
            try
            {
                var connections = cmdlet.InvokeCommand.InvokeScript("Get-ConnectionInformation -ErrorAction Stop");
                if (!connections.Any(c => c is not null && string.Equals(Text(c, "State"), "Connected", StringComparison.OrdinalIgnoreCase)))
                {
                    whyNot = "Exchange Online is not connected (Get-ConnectionInformation lists no connection)";
                    return null;
                }
            }
            catch (RuntimeException ex)
            {
                whyNot = "Get-ConnectionInformation failed: " + ex.Message;
                return null;
            }
        }

        whyNot = null;
        return new RunspaceExchangeAdmin(cmdlet, verbose);
    }

    public IReadOnlyList<ExchangeServicePrincipalRecord> GetServicePrincipals() =>
        Invoke("Get-ServicePrincipal", "Get-ServicePrincipal -ErrorAction Stop")
            .Select(sp => new ExchangeServicePrincipalRecord(
                Text(sp, "Identity") ?? Text(sp, "ObjectId") ?? string.Empty,
                Text(sp, "AppId") ?? string.Empty,
                Text(sp, "ObjectId") ?? Text(sp, "ServiceId") ?? string.Empty,
                Text(sp, "DisplayName") ?? string.Empty))
            .ToList();

    public ExchangeMailboxRecord? GetMailbox(string identity)
    {
        Collection<PSObject> found;
        try
        {
            found = Invoke(
                "Get-EXOMailbox",
                HasCommand(_cmdlet, "Get-EXOMailbox")
                    ? "param($Identity) Get-EXOMailbox -Identity $Identity -ErrorAction Stop"
                    : "param($Identity) Get-Mailbox -Identity $Identity -ErrorAction Stop",
                identity);
        }
        catch (ExchangeAdminException ex) when (IsNotFound(ex))
        {
            return null;
        }

        var mailbox = found.FirstOrDefault(m => m is not null);
        return mailbox is null
            ? null
            : new ExchangeMailboxRecord(
                Text(mailbox, "Identity") ?? identity,
                Text(mailbox, "PrimarySmtpAddress") ?? identity,
                Text(mailbox, "UserPrincipalName") ?? string.Empty,
                Text(mailbox, "RecipientTypeDetails") ?? string.Empty,
                Text(mailbox, "ExternalDirectoryObjectId"),
                List(mailbox, "EmailAddresses"));
    }

    public IReadOnlyList<MailboxPermissionRecord> GetMailboxPermissions(string mailbox) =>
        Invoke("Get-MailboxPermission", "param($Identity) Get-MailboxPermission -Identity $Identity -ErrorAction Stop", mailbox)
            .Select(p => new MailboxPermissionRecord(
                Text(p, "Identity") ?? mailbox,
                Text(p, "User") ?? string.Empty,
                List(p, "AccessRights"),
                Bool(p, "Deny") ?? false,
                Bool(p, "IsInherited") ?? false))
            .ToList();

    public IReadOnlyList<RecipientPermissionRecord> GetRecipientPermissions(string identity) =>
        Invoke("Get-RecipientPermission", "param($Identity) Get-RecipientPermission -Identity $Identity -ErrorAction Stop", identity)
            .Select(p => new RecipientPermissionRecord(
                Text(p, "Identity") ?? identity,
                Text(p, "Trustee") ?? string.Empty,
                List(p, "AccessRights"),
                Text(p, "AccessControlType") ?? "Allow"))
            .ToList();

    public bool? GetMailboxSmtpClientAuthenticationDisabled(string mailbox)
    {
        var script = HasCommand(_cmdlet, "Get-EXOCasMailbox")
            ? "param($Identity) Get-EXOCasMailbox -Identity $Identity -Properties SmtpClientAuthenticationDisabled -ErrorAction Stop"
            : "param($Identity) Get-CASMailbox -Identity $Identity -ErrorAction Stop";
        var cas = Invoke("Get-EXOCasMailbox", script, mailbox).FirstOrDefault(c => c is not null);
        return cas is null ? null : Bool(cas, "SmtpClientAuthenticationDisabled");
    }

    public bool GetOrganizationSmtpClientAuthenticationDisabled()
    {
        var config = Invoke("Get-TransportConfig", "Get-TransportConfig -ErrorAction Stop").FirstOrDefault(c => c is not null);
        return config is not null && (Bool(config, "SmtpClientAuthenticationDisabled") ?? false);
    }

    public IReadOnlyList<ServicePrincipalAuthorizationRecord>? TestServicePrincipalAuthorization(string servicePrincipal, string mailbox)
    {
        if (!HasCommand(_cmdlet, "Test-ServicePrincipalAuthorization"))
        {
            return null;
        }

        return Invoke(
                "Test-ServicePrincipalAuthorization",
                "param($Identity, $Resource) Test-ServicePrincipalAuthorization -Identity $Identity -Resource $Resource -ErrorAction Stop",
                servicePrincipal,
                mailbox)
            .Select(r => new ServicePrincipalAuthorizationRecord(
                Text(r, "RoleName") ?? string.Empty,
                Text(r, "AllowedResourceScope") ?? string.Empty,
                Text(r, "ScopeType") ?? string.Empty,
                Text(r, "InScope") ?? string.Empty))
            .ToList();
    }

    // The changes. -Confirm:$false: the admin has already agreed through Test-SmtpOAuthSetup's own ShouldProcess.

    public void NewServicePrincipal(string appId, string objectId, string displayName) =>
        Invoke("New-ServicePrincipal", "param($AppId, $ObjectId, $DisplayName) $null = New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $DisplayName -ErrorAction Stop", appId, objectId, displayName);

    public void RemoveServicePrincipal(string identity) =>
        Invoke("Remove-ServicePrincipal", "param($Identity) Remove-ServicePrincipal -Identity $Identity -Confirm:$false -ErrorAction Stop", identity);

    public void AddMailboxPermission(string mailbox, string user) =>
        Invoke("Add-MailboxPermission", "param($Identity, $User) $null = Add-MailboxPermission -Identity $Identity -User $User -AccessRights FullAccess -InheritanceType All -Confirm:$false -ErrorAction Stop", mailbox, user);

    public void SetMailboxSmtpClientAuthenticationDisabled(string mailbox, bool disabled) =>
        Invoke("Set-CASMailbox", "param($Identity, $Disabled) Set-CASMailbox -Identity $Identity -SmtpClientAuthenticationDisabled $Disabled -Confirm:$false -ErrorAction Stop", mailbox, disabled);

    public void AddRecipientPermission(string identity, string trustee) =>
        Invoke("Add-RecipientPermission", "param($Identity, $Trustee) $null = Add-RecipientPermission -Identity $Identity -Trustee $Trustee -AccessRights SendAs -Confirm:$false -ErrorAction Stop", identity, trustee);

    public void NewManagementScope(string name, string recipientRestrictionFilter) =>
        Invoke("New-ManagementScope", "param($Name, $Filter) $null = New-ManagementScope -Name $Name -RecipientRestrictionFilter $Filter -Confirm:$false -ErrorAction Stop", name, recipientRestrictionFilter);

    public void NewManagementRoleAssignment(string name, string role, string app, string customResourceScope) =>
        Invoke("New-ManagementRoleAssignment", "param($Name, $Role, $App, $Scope) $null = New-ManagementRoleAssignment -Name $Name -Role $Role -App $App -CustomResourceScope $Scope -Confirm:$false -ErrorAction Stop", name, role, app, customResourceScope);

    private Collection<PSObject> Invoke(string command, string script, params object?[] args)
    {
        _verbose?.Invoke($"Exchange: {command} {string.Join(" ", args.Select(a => a is bool b ? (b ? "$true" : "$false") : Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)))}");
        try
        {
            return _cmdlet.InvokeCommand.InvokeScript(script, args);
        }
        catch (RuntimeException ex)
        {
            throw new ExchangeAdminException(command, ex.ErrorRecord?.Exception?.Message ?? ex.Message, ex);
        }
    }

    private static bool IsNotFound(ExchangeAdminException ex)
    {
        var inner = ex.InnerException as RuntimeException;
        var record = inner?.ErrorRecord;
        return record?.CategoryInfo.Category == ErrorCategory.ObjectNotFound
            || (record?.FullyQualifiedErrorId?.IndexOf("NotFound", StringComparison.OrdinalIgnoreCase) ?? -1) >= 0
            || ex.Message.IndexOf("couldn't be found", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    private static bool HasCommand(PSCmdlet cmdlet, string name) =>
        cmdlet.InvokeCommand.GetCommand(name, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) is not null;

    private static object? Value(PSObject item, string name)
    {
        var value = item.Properties[name]?.Value;
        return value is PSObject wrapped ? wrapped.BaseObject : value;
    }

    private static string? Text(PSObject item, string name)
    {
        var value = Value(item, name);
        return value is null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool? Bool(PSObject item, string name) => Value(item, name) switch
    {
        bool b => b,
        string s when bool.TryParse(s, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A multi-valued property: an array, a collection, or Exchange's "FullAccess, ReadPermission" text.</summary>
    private static IReadOnlyList<string> List(PSObject item, string name) => Value(item, name) switch
    {
        null => Array.Empty<string>(),
        string text => text.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(t => t.Trim()).ToList(),
        IEnumerable values => values.Cast<object?>().Where(v => v is not null)
            .Select(v => Convert.ToString(v is PSObject p ? p.BaseObject : v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
            .SelectMany(t => t.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)).Select(t => t.Trim()).ToList(),
        var other => new[] { Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty },
    };
}

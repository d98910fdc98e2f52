using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Base of the emulated Exchange Online admin cmdlets: finds the emulator of this session, refuses to run before
/// Connect-ExchangeOnline as the real module does, and resolves identities into model objects with Exchange's errors.
/// </summary>
public abstract class ExchangeCmdlet : PSCmdlet, IDisposable
{
    private ExchangeOnlineEmulator? _emulator;
    private string? _stateBefore;

    /// <summary>Connect-, Disconnect-ExchangeOnline and Get-ConnectionInformation run without a connection.</summary>
    protected virtual bool RequiresConnection => true;

    protected ExchangeOnlineEmulator Emulator => _emulator ??= ExchangeEmulatorLookup.Get(this);

    protected TenantModel Tenant => Emulator.Tenant;

    internal TenantModel TenantForSelection => Tenant;

    /// <summary>The PowerShell session the cmdlet runs in (connections are kept per session).</summary>
    protected static Runspace? CurrentRunspace => Runspace.DefaultRunspace;

    protected override void BeginProcessing()
    {
        if (RequiresConnection && !ExchangeConnections.IsConnected(CurrentRunspace))
        {
            ThrowTerminatingError(ExchangeErrors.NotConnected());
        }

        if (MayChangeTenant)
        {
            _stateBefore = ExchangeState.Fingerprint(Tenant);
        }
    }

    /// <summary>New-, Set-, Add-, Remove- cmdlets: the ones Get-EmuStatistics ExchangeChanges counts when they changed something.</summary>
    private bool MayChangeTenant
    {
        get
        {
            var verb = ((CmdletAttribute?)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute)))?.VerbName;
            return verb is VerbsCommon.New or VerbsCommon.Set or VerbsCommon.Add or VerbsCommon.Remove;
        }
    }

    /// <summary>PowerShell disposes a command after its pipeline ends: count one Exchange change if the tenant changed (none under -WhatIf).</summary>
    public void Dispose()
    {
        if (_stateBefore is not null && _emulator is not null && ExchangeState.Fingerprint(Tenant) != _stateBefore)
        {
            Emulator.Statistics.CountExchangeChange();
        }

        _stateBefore = null;
        GC.SuppressFinalize(this);
    }

    /// <summary>The one mailbox the identity names; writes Exchange's not-found/ambiguous error and returns null otherwise.</summary>
    protected Mailbox? ResolveMailbox(string identity)
    {
        var found = TenantQueries.FindMailboxes(Tenant, identity);
        if (found.Count == 1) return found[0];
        WriteError(found.Count == 0 ? ExchangeErrors.NotFound(identity) : ExchangeErrors.Ambiguous(identity));
        return null;
    }

    /// <summary>The one Exchange service principal the identity names; writes Exchange's error and returns null otherwise.</summary>
    protected ExchangeServicePrincipal? ResolveServicePrincipal(string identity)
    {
        var found = TenantQueries.FindServicePrincipals(Tenant, identity);
        if (found.Count == 1) return found[0];
        WriteError(found.Count == 0 ? ExchangeErrors.NotFound(identity) : ExchangeErrors.Ambiguous(identity));
        return null;
    }

    /// <summary>
    /// A security principal given to -User, -Trustee or -App: an Exchange service principal (ObjectId, AppId, DisplayName,
    /// Identity) or a mailbox user. Returns the form the model stores (see TenantQueries), or null after writing the error.
    /// </summary>
    protected string? ResolveSecurityPrincipal(string identity)
    {
        var principals = TenantQueries.FindServicePrincipals(Tenant, identity);
        var users = TenantQueries.FindMailboxes(Tenant, identity);
        var candidates = new List<string>();
        lock (Tenant.SyncRoot)
        {
            foreach (var sp in principals) candidates.Add(sp.ObjectId);
            foreach (var user in users)
            {
                candidates.Add(string.IsNullOrEmpty(user.UserPrincipalName) ? user.PrimarySmtpAddress : user.UserPrincipalName);
            }
        }

        if (candidates.Count == 1) return candidates[0];
        WriteError(candidates.Count == 0 ? ExchangeErrors.NotFound(identity) : ExchangeErrors.Ambiguous(identity));
        return null;
    }

    /// <summary>How a mailbox is shown in Identity columns: its Name, as Exchange Online shows it.</summary>
    protected static string MailboxIdentity(Mailbox mailbox) => RecipientFilter.NameOf(mailbox);

    protected static bool IsNullOrEmptyIdentity(object? identity) =>
        identity is null || (identity is string s && string.IsNullOrWhiteSpace(s));

    protected DateTimeOffset Now => Tenant.Clock.UtcNow;

    /// <summary>
    /// The REST cmdlets take one of -Identity, -ExternalDirectoryObjectId, -PrimarySmtpAddress, -UserPrincipalName;
    /// returns the one given (null for none) or throws when several are.
    /// </summary>
    protected string? SingleMailboxIdentity(string? identity, Guid? externalDirectoryObjectId, string? primarySmtpAddress, string? userPrincipalName)
    {
        var given = new List<(string Name, string Value)>();
        if (!string.IsNullOrWhiteSpace(identity)) given.Add(("Identity", identity!));
        if (externalDirectoryObjectId.HasValue) given.Add(("ExternalDirectoryObjectId", externalDirectoryObjectId.Value.ToString()));
        if (!string.IsNullOrWhiteSpace(primarySmtpAddress)) given.Add(("PrimarySmtpAddress", primarySmtpAddress!));
        if (!string.IsNullOrWhiteSpace(userPrincipalName)) given.Add(("UserPrincipalName", userPrincipalName!));
        if (given.Count > 1)
        {
            ThrowTerminatingError(ExchangeErrors.InvalidArgument(
                "MutuallyExclusiveIdentityParameters",
                $"Use only one of the parameters Identity, ExternalDirectoryObjectId, PrimarySmtpAddress and UserPrincipalName; this call used {string.Join(" and ", given.Select(g => g.Name))}.",
                null));
        }

        return given.Count == 1 ? given[0].Value : null;
    }
}

using System;
using System.Linq;
using System.Management.Automation;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

public sealed class PermissionTests : IClassFixture<ExchangeAdminSession>
{
    private readonly ExchangeAdminSession _session;
    private readonly string _objectId = ExchangeAdminSession.EnterpriseAppObjectId.ToString();

    public PermissionTests(ExchangeAdminSession session)
    {
        _session = session;
        _session.Reset();
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {_objectId} -DisplayName 'OAuthSmtp Mailer'");
    }

    private ExchangeServicePrincipal Principal => _session.Tenant.ExchangeServicePrincipals.Single();

    private Mailbox Alerts => _session.Tenant.Mailboxes.Single(m => m.Alias == "alerts");

    [Theory]
    [InlineData("objectid")]
    [InlineData("appid")]
    [InlineData("displayname")]
    public void AddMailboxPermissionResolvesTheServicePrincipalByAnyIdentity(string form)
    {
        var user = form switch { "objectid" => _objectId, "appid" => ExchangeAdminSession.AppId.ToString(), _ => "OAuthSmtp Mailer" };

        var added = Assert.Single(_session.Run($"Add-MailboxPermission -Identity alerts@contoso.com -User '{user}' -AccessRights FullAccess -InheritanceType All").Output);

        Assert.Equal("alerts", ExchangeAdminSession.Property(added, "Identity"));
        Assert.Equal(_objectId, ExchangeAdminSession.Property(added, "User"));
        Assert.Equal(new[] { "FullAccess" }, (string[])ExchangeAdminSession.Property(added, "AccessRights")!);
        Assert.Equal(false, ExchangeAdminSession.Property(added, "IsInherited"));
        Assert.Equal(false, ExchangeAdminSession.Property(added, "Deny"));
        Assert.True(TenantQueries.HasFullAccess(_session.Tenant, Alerts, Principal, effectiveOnly: true));
    }

    [Fact]
    public void GetMailboxPermissionListsSelfFirstThenTheGrant()
    {
        _session.Run($"Add-MailboxPermission alerts -User {_objectId} -AccessRights FullAccess");

        var rows = _session.Run("Get-MailboxPermission -Identity alerts@contoso.com").Output;

        Assert.Equal(2, rows.Count);
        Assert.Equal(@"NT AUTHORITY\SELF", ExchangeAdminSession.Property(rows[0], "User"));
        Assert.Equal(new[] { "FullAccess", "ReadPermission" }, (string[])ExchangeAdminSession.Property(rows[0], "AccessRights")!);
        Assert.Equal(_objectId, ExchangeAdminSession.Property(rows[1], "User"));
        Assert.Equal("All", ExchangeAdminSession.Property(rows[1], "InheritanceType"));
        var filtered = Assert.Single(_session.Run($"Get-MailboxPermission alerts -User {_objectId}").Output);
        Assert.Equal(_objectId, ExchangeAdminSession.Property(filtered, "User"));
    }

    [Fact]
    public void TheGrantReachesSmtpOnlyAfterItsPropagationDelay()
    {
        _session.Tenant.PropagationDelays[ChangeKind.MailboxPermission] = TimeSpan.FromMinutes(30);

        _session.Run($"Add-MailboxPermission alerts -User {_objectId} -AccessRights FullAccess");

        Assert.Equal(2, _session.Run("Get-MailboxPermission alerts").Output.Count);
        Assert.False(TenantQueries.HasFullAccess(_session.Tenant, Alerts, Principal, effectiveOnly: true));
        _session.Emulator.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.True(TenantQueries.HasFullAccess(_session.Tenant, Alerts, Principal, effectiveOnly: true));
    }

    [Fact]
    public void AMailboxUserIsAcceptedAsUserAndShownByItsUpn()
    {
        var added = Assert.Single(_session.Run("Add-MailboxPermission sales@contoso.com -User alerts@contoso.com -AccessRights FullAccess").Output);

        Assert.Equal("alerts@contoso.onmicrosoft.com", ExchangeAdminSession.Property(added, "User"));
    }

    [Fact]
    public void WhatIfAddsNothing()
    {
        _session.Run($"Add-MailboxPermission alerts -User {_objectId} -AccessRights FullAccess -WhatIf");

        Assert.Empty(_session.Tenant.MailboxPermissions);
    }

    [Fact]
    public void RemoveMailboxPermissionTakesTheGrantAway()
    {
        _session.Run($"Add-MailboxPermission alerts -User {_objectId} -AccessRights FullAccess");

        _session.Run($"Remove-MailboxPermission alerts -User {_objectId} -AccessRights FullAccess -WhatIf");
        Assert.Single(_session.Tenant.MailboxPermissions);
        _session.Run($"Remove-MailboxPermission alerts -User {_objectId} -AccessRights FullAccess -Confirm:$false");

        Assert.Empty(_session.Tenant.MailboxPermissions);
        Assert.Single(_session.Run("Get-MailboxPermission alerts").Output);
    }

    [Fact]
    public void AnInvalidAccessRightIsRejectedAtBinding()
    {
        var result = _session.RunExpectingError($"Add-MailboxPermission alerts -User {_objectId} -AccessRights SendAs");

        Assert.StartsWith("ParameterArgumentValidationError", result.AllErrors.First().FullyQualifiedErrorId);
        Assert.Empty(_session.Tenant.MailboxPermissions);
    }

    [Theory]
    [InlineData("Add-MailboxPermission -Identity nobody@contoso.com -User {sp} -AccessRights FullAccess", "nobody@contoso.com")]
    [InlineData("Get-MailboxPermission -Identity nobody@contoso.com", "nobody@contoso.com")]
    [InlineData("Add-MailboxPermission -Identity alerts -User 3d0c6a8e-0000-0000-0000-000000000000 -AccessRights FullAccess", "3d0c6a8e-0000-0000-0000-000000000000")]
    [InlineData("Add-RecipientPermission -Identity nobody@contoso.com -Trustee {sp} -AccessRights SendAs -Confirm:$false", "nobody@contoso.com")]
    [InlineData("Get-Mailbox -Identity nobody@contoso.com", "nobody@contoso.com")]
    [InlineData("Get-EXOMailbox -Identity nobody@contoso.com", "nobody@contoso.com")]
    [InlineData("Set-CASMailbox -Identity nobody@contoso.com -SmtpClientAuthenticationDisabled $false", "nobody@contoso.com")]
    public void UnknownObjectsGetExchangesExactNotFoundText(string command, string identity)
    {
        var error = _session.RunExpectingError(command.Replace("{sp}", _objectId)).AllErrors.First();

        Assert.Equal(
            $"The operation couldn't be performed because object '{identity}' couldn't be found on 'BN8PR01A001DC01.NAMPR01A001.PROD.OUTLOOK.COM'.",
            error.Exception.Message);
        Assert.Equal("ManagementObjectNotFoundException", error.Exception.GetType().Name);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Empty(_session.Tenant.MailboxPermissions);
        Assert.Empty(_session.Tenant.RecipientPermissions);
    }

    [Fact]
    public void AddRecipientPermissionGrantsSendAsToTheServicePrincipal()
    {
        var added = Assert.Single(_session.Run($"Add-RecipientPermission -Identity sales@contoso.com -Trustee {_objectId} -AccessRights SendAs -Confirm:$false").Output);

        Assert.Equal("sales", ExchangeAdminSession.Property(added, "Identity"));
        Assert.Equal(_objectId, ExchangeAdminSession.Property(added, "Trustee"));
        Assert.Equal("Allow", ExchangeAdminSession.Property(added, "AccessControlType"));
        Assert.Equal(new[] { "SendAs" }, (string[])ExchangeAdminSession.Property(added, "AccessRights")!);
        Assert.Equal(false, ExchangeAdminSession.Property(added, "IsInherited"));
        Assert.Equal("None", ExchangeAdminSession.Property(added, "InheritanceType"));
        var sales = _session.Tenant.Mailboxes.Single(m => m.Alias == "sales");
        Assert.True(TenantQueries.HasSendAs(_session.Tenant, sales, t => TenantQueries.TrusteeIsServicePrincipal(_session.Tenant, t, Principal), effectiveOnly: true));
    }

    [Fact]
    public void AddRecipientPermissionPromptsByDefaultSoANonInteractiveSessionChangesNothing()
    {
        var result = _session.Shell.Run($"Add-RecipientPermission -Identity sales -Trustee {_objectId} -AccessRights SendAs");

        Assert.True(result.AllErrors.Any());
        Assert.Empty(_session.Tenant.RecipientPermissions);
    }

    [Fact]
    public void OnlySendAsIsAValidRecipientRight()
    {
        _session.RunExpectingError($"Add-RecipientPermission sales -Trustee {_objectId} -AccessRights FullAccess -Confirm:$false");

        Assert.Empty(_session.Tenant.RecipientPermissions);
    }

    [Fact]
    public void GetAndRemoveRecipientPermission()
    {
        _session.Run($"Add-RecipientPermission sales -Trustee {_objectId} -AccessRights SendAs -Confirm:$false");

        var rows = _session.Run("Get-RecipientPermission -Identity sales").Output;
        Assert.Equal(new[] { @"NT AUTHORITY\SELF", _objectId }, rows.Select(r => (string)ExchangeAdminSession.Property(r, "Trustee")!));
        Assert.Single(_session.Run($"Get-RecipientPermission -Trustee {_objectId}").Output);

        _session.Run($"Remove-RecipientPermission sales -Trustee {_objectId} -AccessRights SendAs -WhatIf");
        Assert.Single(_session.Tenant.RecipientPermissions);
        _session.Run($"Remove-RecipientPermission sales -Trustee {_objectId} -AccessRights SendAs -Confirm:$false");
        Assert.Empty(_session.Tenant.RecipientPermissions);
    }
}

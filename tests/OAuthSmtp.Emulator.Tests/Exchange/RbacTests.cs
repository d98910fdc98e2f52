using System.Linq;
using OAuthSmtp.Emulator.Model;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

public sealed class RbacTests : IClassFixture<ExchangeAdminSession>
{
    private readonly ExchangeAdminSession _session;
    private readonly string _objectId = ExchangeAdminSession.EnterpriseAppObjectId.ToString();

    public RbacTests(ExchangeAdminSession session)
    {
        _session = session;
        _session.Reset();
        _session.Run($"New-ServicePrincipal -AppId {ExchangeAdminSession.AppId} -ObjectId {_objectId} -DisplayName 'OAuthSmtp Mailer'");
    }

    private void AssignScopedSmtpRole()
    {
        _session.Run($"New-ManagementScope -Name 'RBAC Scope' -RecipientRestrictionFilter \"MemberOfGroup -eq '{ExchangeAdminSession.GroupDn}'\"");
        _session.Run($"New-ManagementRoleAssignment -Name 'SMTP to group' -Role 'Application SMTP.SendAsApp' -App {_objectId} -CustomResourceScope 'RBAC Scope'");
    }

    [Fact]
    public void TheDocumentedRbacStepsCreateAScopeAndAnAssignment()
    {
        var scope = Assert.Single(_session.Run($"New-ManagementScope -Name 'RBAC Scope' -RecipientRestrictionFilter \"MemberOfGroup -eq '{ExchangeAdminSession.GroupDn}'\"").Output);
        Assert.Equal("RBAC Scope", ExchangeAdminSession.Property(scope, "Name"));
        Assert.Equal($"MemberOfGroup -eq '{ExchangeAdminSession.GroupDn}'", ExchangeAdminSession.Property(scope, "RecipientRestrictionFilter"));

        var assignment = Assert.Single(_session.Run($"New-ManagementRoleAssignment -Name 'SMTP to group' -Role 'Application SMTP.SendAsApp' -App {_objectId} -CustomResourceScope 'RBAC Scope'").Output);
        Assert.Equal("Application SMTP.SendAsApp", ExchangeAdminSession.Property(assignment, "Role"));
        Assert.Equal("RBAC Scope", ExchangeAdminSession.Property(assignment, "CustomResourceScope"));
        Assert.Equal(_objectId, ExchangeAdminSession.Property(assignment, "RoleAssignee"));

        var stored = Assert.Single(_session.Tenant.ManagementRoleAssignments);
        Assert.Equal(_objectId, stored.App);
        var principal = _session.Tenant.ExchangeServicePrincipals.Single();
        var alerts = _session.Tenant.Mailboxes.Single(m => m.Alias == "alerts");
        var sales = _session.Tenant.Mailboxes.Single(m => m.Alias == "sales");
        Assert.True(TenantQueries.IsInSmtpRbacScope(_session.Tenant, alerts, principal, effectiveOnly: true));
        Assert.False(TenantQueries.IsInSmtpRbacScope(_session.Tenant, sales, principal, effectiveOnly: true));
        Assert.Single(_session.Run($"Get-ManagementRoleAssignment -RoleAssignee {_objectId}").Output);
    }

    [Fact]
    public void TestServicePrincipalAuthorizationSaysNotRunWithoutResource()
    {
        AssignScopedSmtpRole();

        var row = Assert.Single(_session.Run($"Test-ServicePrincipalAuthorization -Identity {_objectId}").Output);

        Assert.Equal("Application SMTP.SendAsApp", ExchangeAdminSession.Property(row, "RoleName"));
        Assert.Equal("SMTP.SendAsApp", ExchangeAdminSession.Property(row, "GrantedPermissions"));
        Assert.Equal("RBAC Scope", ExchangeAdminSession.Property(row, "AllowedResourceScope"));
        Assert.Equal("CustomRecipientScope", ExchangeAdminSession.Property(row, "ScopeType"));
        Assert.Equal("Not Run", ExchangeAdminSession.Property(row, "InScope"));
    }

    [Theory]
    [InlineData("alerts@contoso.com", "True")]
    [InlineData("sales@contoso.com", "False")]
    public void TestServicePrincipalAuthorizationEvaluatesTheScopeFilterAgainstTheResource(string resource, string expected)
    {
        AssignScopedSmtpRole();

        var row = Assert.Single(_session.Run($"Test-ServicePrincipalAuthorization 'OAuthSmtp Mailer' -Resource {resource}").Output);

        Assert.Equal(expected, ExchangeAdminSession.Property(row, "InScope"));
    }

    [Fact]
    public void AnAssignmentWithoutScopeCoversTheWholeOrganization()
    {
        _session.Run($"New-ManagementRoleAssignment -Role 'Application SMTP.SendAsApp' -App {ExchangeAdminSession.AppId}");

        var row = Assert.Single(_session.Run($"Test-ServicePrincipalAuthorization {_objectId} -Resource sales").Output);

        Assert.Equal("Organization", ExchangeAdminSession.Property(row, "ScopeType"));
        Assert.Equal("True", ExchangeAdminSession.Property(row, "InScope"));
    }

    [Fact]
    public void AMalformedFilterIsRefusedAndNothingIsCreated()
    {
        var result = _session.RunExpectingError("New-ManagementScope -Name Broken -RecipientRestrictionFilter \"MemberOfGroup -eq\"");

        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, result.AllErrors.First().CategoryInfo.Category);
        Assert.Empty(_session.Tenant.ManagementScopes);
    }

    [Fact]
    public void AnUnknownRoleOrScopeIsNotFoundAndWhatIfAssignsNothing()
    {
        _session.RunExpectingError($"New-ManagementRoleAssignment -Role 'Application Nothing' -App {_objectId}");
        _session.RunExpectingError($"New-ManagementRoleAssignment -Role 'Application SMTP.SendAsApp' -App {_objectId} -CustomResourceScope Missing");
        _session.Run($"New-ManagementRoleAssignment -Role 'Application SMTP.SendAsApp' -App {_objectId} -WhatIf");

        Assert.Empty(_session.Tenant.ManagementRoleAssignments);
    }
}

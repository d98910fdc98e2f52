using System;
using System.Collections;
using System.Linq;
using OAuthSmtp.Emulator;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Infrastructure;

/// <summary>EmulatorFixture.NewAdminSession: the Empty tenant with Exchange and Graph sessions of its administrator, as the setup tests start.</summary>
public sealed class AdminSessionTests : IClassFixture<EmulatorFixture>
{
    private readonly EmulatorFixture _fixture;

    public AdminSessionTests(EmulatorFixture fixture)
    {
        _fixture = fixture;
    }

    [Fact]
    public void The_administrator_is_signed_in_to_Exchange_and_Graph_and_statistics_start_at_zero()
    {
        using var session = _fixture.NewAdminSession();

        var context = Assert.Single(session.Run("Get-MgContext").Output);
        Assert.Equal("admin@contoso.com", context.Properties["Account"].Value);
        Assert.Contains("AppRoleAssignment.ReadWrite.All", (string[])context.Properties["Scopes"].Value);
        Assert.Equal("Connected", Assert.Single(session.Run("(Get-ConnectionInformation).State").Output).BaseObject);
        Assert.Null(_fixture.Emulator.Current.ClientId);

        var created = session.Run("Invoke-MgGraphRequest -Method POST -Uri 'v1.0/applications' -Body @{ displayName = 'OAuthSmtp Mailer' }");
        Assert.Empty(created.AllErrors);
        Assert.Equal("OAuthSmtp Mailer", ((Hashtable)Assert.Single(created.Output).BaseObject)["displayName"]);
        Assert.Equal(1, _fixture.Emulator.Statistics.GraphWrites);
        Assert.Equal(0, _fixture.Emulator.Statistics.ExchangeChanges);
    }

    [Fact]
    public void An_administrator_without_roles_gets_a_session_from_scopes_consented_earlier_and_Graph_refuses_consent()
    {
        using var session = _fixture.NewAdminSession(adminRoles: Array.Empty<string>(), graphScopes: Array.Empty<string>(), consentedScopes: EmulatorFixture.SetupGraphScopes);

        var exchange = session.Run("(Invoke-MgGraphRequest -Uri \"v1.0/servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')\").id");
        var refused = session.Run(
            "$app = Invoke-MgGraphRequest -Method POST -Uri 'v1.0/applications' -Body @{ displayName = 'Own app' }" + Environment.NewLine +
            "$sp = Invoke-MgGraphRequest -Method POST -Uri 'v1.0/servicePrincipals' -Body @{ appId = $app.appId }" + Environment.NewLine +
            "$role = ((Invoke-MgGraphRequest -Uri \"v1.0/servicePrincipals/$($args[0])\").appRoles | Where-Object value -eq 'SMTP.SendAsApp').id" + Environment.NewLine +
            "Invoke-MgGraphRequest -Method POST -Uri \"v1.0/servicePrincipals/$($args[0])/appRoleAssignedTo\" -Body @{ principalId = $sp.id; resourceId = $args[0]; appRoleId = $role }",
            arguments: new object?[] { Assert.Single(exchange.Output).BaseObject });

        var error = Assert.Single(refused.AllErrors);
        Assert.Contains("Authorization_RequestDenied", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Equal(2, _fixture.Emulator.Statistics.GraphWrites);
        Assert.DoesNotContain(_fixture.Emulator.Tenant.AppRoleAssignments, a => a.RoleValue == "SMTP.SendAsApp");
    }
}

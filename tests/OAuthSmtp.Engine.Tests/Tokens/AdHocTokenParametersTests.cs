using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

/// <summary>Get-SmtpOAuthToken's direct parameters become a profile checked by the one profile validator.</summary>
public sealed class AdHocTokenParametersTests
{
    private const string ClientId = "22222222-2222-2222-2222-222222222222";

    private static AdHocTokenParameters Secret() => new(CredentialKind.ClientSecret)
    {
        TenantId = "contoso.onmicrosoft.com",
        ClientId = ClientId,
        Secret = "s3cret-value",
    };

    [Fact]
    public void A_client_secret_request_gets_the_clouds_endpoints_and_scope()
    {
        var parameters = Secret();
        parameters.Cloud = CloudName.USGov;

        var request = parameters.ToTokenRequest();

        Assert.Equal(string.Empty, request.Profile.Name);
        Assert.Equal(Guid.Parse(ClientId), request.Profile.ClientId);
        Assert.Equal(CloudEndpoints.USGov.AuthorityHost, request.Profile.AuthorityHost);
        Assert.Equal(CloudEndpoints.USGov.AppOnlyScope, request.Profile.Scope);
        Assert.Equal("s3cret-value", request.Secret);
    }

    [Theory]
    [InlineData("tenant", "common", ErrorIds.InvalidTenantId)]
    [InlineData("tenant", "contoso", ErrorIds.InvalidTenantId)]
    [InlineData("client", "not-a-guid", ErrorIds.InvalidClientId)]
    [InlineData("authority", "http://login.example", ErrorIds.InvalidAuthorityHost)]
    [InlineData("scope", "https://outlook.office365.com/SMTP.SendAsApp", ErrorIds.InvalidScope)]
    public void A_bad_value_gets_the_same_id_as_from_the_profile_cmdlets(string field, string value, string expectedId)
    {
        var parameters = Secret();
        switch (field)
        {
            case "tenant": parameters.TenantId = value; break;
            case "client": parameters.ClientId = value; break;
            case "authority": parameters.AuthorityHost = value; break;
            case "scope": parameters.Scope = value; break;
        }

        var error = Assert.Throws<OAuthSmtpException>(() => parameters.ToTokenRequest());

        Assert.Equal(expectedId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.DoesNotContain("s3cret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_managed_identity_needs_no_tenant_and_a_resource_id_is_recognised_without_its_kind()
    {
        var system = new AdHocTokenParameters(CredentialKind.SystemManagedIdentity).ToTokenRequest();
        var user = new AdHocTokenParameters(CredentialKind.SystemManagedIdentity)
        {
            ManagedIdentityId = "/subscriptions/1/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mailer",
        }.ToTokenRequest();

        Assert.Equal(CredentialKind.SystemManagedIdentity, system.Profile.CredentialKind);
        Assert.Equal(CredentialKind.UserManagedIdentity, user.Profile.CredentialKind);
        Assert.Equal(ManagedIdentityIdKind.ResourceId, user.Profile.ManagedIdentityIdKind);
    }

    [Fact]
    public void A_delegated_request_may_leave_the_mailbox_out_and_gets_the_delegated_scope()
    {
        var request = new AdHocTokenParameters(CredentialKind.DeviceCode) { TenantId = "contoso.onmicrosoft.com", ClientId = ClientId }.ToTokenRequest();

        Assert.True(request.Profile.IsDelegated);
        Assert.Equal(ProfileValidator.DefaultScope(CloudName.Global, delegated: true), request.Profile.Scope);
    }
}

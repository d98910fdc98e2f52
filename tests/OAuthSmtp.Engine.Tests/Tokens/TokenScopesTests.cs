using System;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using OAuthSmtp.Engine.Tokens;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Tokens;

public sealed class TokenScopesTests
{
    [Theory]
    [InlineData(CredentialKind.ClientSecret)]
    [InlineData(CredentialKind.CertificateFile)]
    [InlineData(CredentialKind.SystemManagedIdentity)]
    public void App_only_defaults_to_the_cloud_resource_with_default_suffix(CredentialKind kind)
    {
        var scopes = TokenScopes.For(kind, null, CloudName.USGov);

        Assert.Equal(new[] { "https://outlook.office365.us/.default" }, scopes.Scopes);
        Assert.Equal("https://outlook.office365.us", scopes.Resource);
    }

    [Fact]
    public void Delegated_asks_for_SMTP_Send_and_offline_access()
    {
        var scopes = TokenScopes.For(CredentialKind.DeviceCode, null, CloudName.Global);

        Assert.Equal(new[] { "https://outlook.office.com/SMTP.Send", "offline_access" }, scopes.Scopes);
    }

    [Theory]
    [InlineData(CredentialKind.ClientSecret, "https://outlook.office365.com/SMTP.Send", "delegated permission")]
    [InlineData(CredentialKind.ClientSecret, "https://outlook.office365.com/SMTP.SendAsApp", "admin consent")]
    [InlineData(CredentialKind.CertificateThumbprint, "SMTP.SendAsApp", "admin consent")]
    [InlineData(CredentialKind.ClientSecret, "https://outlook.office365.com", "no /.default")]
    [InlineData(CredentialKind.ClientSecret, "outlook.office365.com/.default", "AADSTS500011")]
    [InlineData(CredentialKind.UserManagedIdentity, "https://outlook.office365.com/.default offline_access", "offline_access")]
    [InlineData(CredentialKind.ClientSecret, "https://outlook.office365.com/.default https://graph.microsoft.com/.default", "exactly one")]
    [InlineData(CredentialKind.DeviceCode, "https://outlook.office365.com/SMTP.SendAsApp", "application permission")]
    [InlineData(CredentialKind.Interactive, "https://graph.microsoft.com/Mail.Send", "SMTP.Send")]
    [InlineData(CredentialKind.DeviceCode, "https://outlook.office.com/SMTP.Send https://graph.microsoft.com/User.Read", "AADSTS70011")]
    public void Wrong_combinations_are_refused_before_any_request_with_the_fix(CredentialKind kind, string scope, string inMessage)
    {
        var error = Assert.Throws<OAuthSmtpException>(() => TokenScopes.For(kind, scope, CloudName.Global, "p"));

        Assert.Equal(ErrorIds.TokenScopeInvalid, error.ErrorId);
        Assert.Contains(inMessage, error.Message, StringComparison.Ordinal);
        Assert.Contains("before any request", error.Message, StringComparison.Ordinal);
        Assert.Contains("-Scope '", error.Fix, StringComparison.Ordinal);
        Assert.Equal("p", error.TargetObject);
    }
}

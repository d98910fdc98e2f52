using System;
using System.Net;
using System.Security;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Profiles;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Profiles;

/// <summary>How New-/Set-SmtpOAuthProfile's parameters land on a profile: the engine's rules, without PowerShell.</summary>
public sealed class ProfileSettingsTests
{
    private const string Client = "11111111-2222-3333-4444-555555555555";
    private const string OtherClient = "99999999-2222-3333-4444-555555555555";

    private static SecureString Secure(string text) => new NetworkCredential(string.Empty, text).SecurePassword;

    private static SmtpOAuthProfile New(ProfileSettings settings, out bool secretReturned)
    {
        var profile = new SmtpOAuthProfile { Name = "Scanner" };
        using var secret = settings.ApplyTo(profile, isNew: true);
        secretReturned = secret is not null;
        return profile;
    }

    private static ProfileSettings SecretProfile() => new()
    {
        TenantId = "contoso.onmicrosoft.com",
        ClientId = Client,
        ClientSecret = Secure("value"),
        Mailbox = "scanner@contoso.com",
    };

    private static SmtpOAuthProfile Saved(Action<SmtpOAuthProfile>? change = null)
    {
        var profile = New(SecretProfile(), out _);
        change?.Invoke(profile);
        return profile;
    }

    [Fact]
    public void A_client_secret_profile_takes_every_given_setting_and_returns_the_secret_to_store()
    {
        var profile = New(SecretProfile(), out var secretReturned);

        Assert.Equal(CredentialKind.ClientSecret, profile.CredentialKind);
        Assert.Equal(Guid.Parse(Client), profile.ClientId);
        Assert.Equal("scanner@contoso.com", profile.Mailbox);
        Assert.True(secretReturned);
        Assert.Equal(ProfileOverrides.None, profile.Overrides);
        Assert.False(profile.AllowNonMicrosoftHost);
    }

    [Fact]
    public void The_client_id_travels_in_the_credential_and_must_agree_with_ClientId()
    {
        var fromCredential = New(
            new ProfileSettings { TenantId = "contoso.onmicrosoft.com", CredentialUserName = Client, CredentialPassword = Secure("v"), Mailbox = "scanner@contoso.com" },
            out var secretReturned);
        Assert.Equal(Guid.Parse(Client), fromCredential.ClientId);
        Assert.Equal(CredentialKind.ClientSecret, fromCredential.CredentialKind);
        Assert.True(secretReturned);

        var both = SecretProfile();
        both.ClientSecret = null;
        both.CredentialUserName = OtherClient;
        both.CredentialPassword = Secure("v");
        var error = Assert.Throws<OAuthSmtpException>(() => New(both, out _));
        Assert.Equal(ErrorIds.InvalidClientId, error.ErrorId);
        Assert.Contains(OtherClient, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_credential_kinds_conflict()
    {
        var settings = SecretProfile();
        settings.ManagedIdentity = true;

        var error = Assert.Throws<OAuthSmtpException>(() => New(settings, out _));

        Assert.Equal(ErrorIds.ConflictingCredentials, error.ErrorId);
    }

    [Fact]
    public void A_vault_needs_a_secret_name_and_a_secret_or_a_new_kind_drops_the_vault_reference()
    {
        var byName = SecretProfile();
        byName.ClientSecret = null;
        byName.SecretName = "smtp-secret";
        byName.Vault = "Corp";
        var referenced = New(byName, out var secretReturned);
        Assert.Equal("smtp-secret", referenced.SecretName);
        Assert.Equal("Corp", referenced.Vault);
        Assert.False(secretReturned);

        var vaultOnly = SecretProfile();
        vaultOnly.ClientSecret = null;
        vaultOnly.Vault = "Corp";
        Assert.Equal(ErrorIds.ConflictingCredentials, Assert.Throws<OAuthSmtpException>(() => New(vaultOnly, out _)).ErrorId);

        // Set-: another vault for the stored name is fine; a secret typed in replaces the reference.
        var stored = Saved(p => { p.SecretName = "smtp-secret"; p.Vault = "Corp"; });
        new ProfileSettings { Vault = "Other" }.ApplyTo(stored, isNew: false);
        Assert.Equal(("smtp-secret", "Other"), (stored.SecretName, stored.Vault));
        using (new ProfileSettings { ClientSecret = Secure("typed") }.ApplyTo(stored, isNew: false))
        {
            Assert.Null(stored.SecretName);
            Assert.Null(stored.Vault);
        }

        var changedKind = Saved(p => { p.SecretName = "smtp-secret"; p.Vault = "Corp"; });
        new ProfileSettings { ManagedIdentity = true }.ApplyTo(changedKind, isNew: false);
        Assert.Equal(CredentialKind.SystemManagedIdentity, changedKind.CredentialKind);
        Assert.Null(changedKind.SecretName);
        Assert.Null(changedKind.Vault);
    }

    [Fact]
    public void A_user_assigned_identity_named_by_client_id_is_the_profiles_client()
    {
        var profile = New(
            new ProfileSettings { TenantId = "contoso.onmicrosoft.com", ManagedIdentity = true, ManagedIdentityId = Client, Mailbox = "scanner@contoso.com" },
            out _);

        Assert.Equal(CredentialKind.UserManagedIdentity, profile.CredentialKind);
        Assert.Equal(ManagedIdentityIdKind.ClientId, profile.ManagedIdentityIdKind);
        Assert.Equal(Guid.Parse(Client), profile.ClientId);

        // Set- with another kind of id keeps the id and changes only its kind.
        new ProfileSettings { ManagedIdentityIdKind = ManagedIdentityIdKind.ObjectId }.ApplyTo(profile, isNew: false);
        Assert.Equal(ManagedIdentityIdKind.ObjectId, profile.ManagedIdentityIdKind);
        Assert.Equal(Client, profile.ManagedIdentityId);
    }

    [Fact]
    public void Endpoint_overrides_are_marked_and_an_empty_value_goes_back_to_the_clouds()
    {
        var profile = Saved();
        new ProfileSettings { SmtpServer = "relay.contoso.com", Port = 2525, AuthorityHost = "https://login.contoso.com", AllowNonMicrosoftHost = true }.ApplyTo(profile, isNew: false);

        Assert.Equal("relay.contoso.com", profile.SmtpServer);
        Assert.Equal(2525, profile.Port);
        Assert.Equal("login.contoso.com", profile.AuthorityHost.Host);
        Assert.Equal(ProfileOverrides.SmtpServer | ProfileOverrides.Port | ProfileOverrides.AuthorityHost, profile.Overrides);
        Assert.True(profile.AllowNonMicrosoftHost);

        new ProfileSettings { SmtpServer = string.Empty, AuthorityHost = string.Empty, AllowNonMicrosoftHost = false }.ApplyTo(profile, isNew: false);
        Assert.Equal(ProfileOverrides.Port, profile.Overrides);
        Assert.False(profile.AllowNonMicrosoftHost);

        // Not given: the stored choice stays.
        profile.AllowNonMicrosoftHost = true;
        new ProfileSettings { TokenGraceSeconds = 120 }.ApplyTo(profile, isNew: false);
        Assert.True(profile.AllowNonMicrosoftHost);
        Assert.Equal(120, profile.TokenGraceSeconds);
    }

    [Fact]
    public void Bad_input_is_refused_before_anything_is_saved()
    {
        var badMailbox = SecretProfile();
        badMailbox.Mailbox = "not an address";
        Assert.Equal(ErrorIds.InvalidMailbox, Assert.Throws<OAuthSmtpException>(() => New(badMailbox, out _)).ErrorId);

        var badGrace = Saved();
        Assert.Equal(ErrorIds.InvalidTokenGraceSeconds, Assert.Throws<OAuthSmtpException>(() => new ProfileSettings { TokenGraceSeconds = 4000 }.ApplyTo(badGrace, isNew: false)).ErrorId);
    }

    [Fact]
    public void Where_the_secret_lives_is_described_without_the_secret()
    {
        Assert.Equal("secret encrypted with DPAPI for the current user", ProfileSecretDescription.Describe(Saved(p => p.SecretProtection = SecretProtection.Dpapi)));
        Assert.Equal("secret 'smtp-secret' resolved from SecretManagement vault 'Corp'", ProfileSecretDescription.Describe(Saved(p => { p.SecretProtection = SecretProtection.SecretManagement; p.SecretName = "smtp-secret"; p.Vault = "Corp"; })));
        Assert.Equal("no stored secret", ProfileSecretDescription.Describe(Saved()));
    }
}

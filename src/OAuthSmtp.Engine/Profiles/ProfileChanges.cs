using System;
using System.Collections.Generic;
using System.Globalization;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// What Set-SmtpOAuthProfile would change, setting by setting (old -> new), for -WhatIf and -Confirm. Never shows a
/// secret: a new secret is only "replaced".
/// </summary>
public static class ProfileChanges
{
    public static IReadOnlyList<string> Describe(SmtpOAuthProfile before, SmtpOAuthProfile after, bool secretReplaced)
    {
        if (before is null)
        {
            throw new ArgumentNullException(nameof(before));
        }

        if (after is null)
        {
            throw new ArgumentNullException(nameof(after));
        }

        var changes = new List<string>();
        void Compare(string name, object? old, object? @new)
        {
            var oldText = Text(old);
            var newText = Text(@new);
            if (!string.Equals(oldText, newText, StringComparison.Ordinal))
            {
                changes.Add($"{name}: {oldText} -> {newText}");
            }
        }

        Compare(nameof(SmtpOAuthProfile.TenantId), before.TenantId, after.TenantId);
        Compare(nameof(SmtpOAuthProfile.ClientId), before.ClientId, after.ClientId);
        Compare(nameof(SmtpOAuthProfile.CredentialKind), before.CredentialKind, after.CredentialKind);
        Compare(nameof(SmtpOAuthProfile.CertificateThumbprint), before.CertificateThumbprint, after.CertificateThumbprint);
        Compare(nameof(SmtpOAuthProfile.CertificateStoreLocation), before.CertificateStoreLocation, after.CertificateStoreLocation);
        Compare(nameof(SmtpOAuthProfile.CertificatePath), before.CertificatePath, after.CertificatePath);
        Compare(nameof(SmtpOAuthProfile.ManagedIdentityIdKind), before.ManagedIdentityIdKind, after.ManagedIdentityIdKind);
        Compare(nameof(SmtpOAuthProfile.ManagedIdentityId), before.ManagedIdentityId, after.ManagedIdentityId);
        Compare(nameof(SmtpOAuthProfile.SecretName), before.SecretName, after.SecretName);
        Compare(nameof(SmtpOAuthProfile.Vault), before.Vault, after.Vault);
        Compare(nameof(SmtpOAuthProfile.Mailbox), before.Mailbox, after.Mailbox);
        Compare(nameof(SmtpOAuthProfile.Cloud), before.Cloud, after.Cloud);
        Compare(nameof(SmtpOAuthProfile.SmtpServer), before.SmtpServer, after.SmtpServer);
        Compare(nameof(SmtpOAuthProfile.Port), before.Port, after.Port);
        Compare(nameof(SmtpOAuthProfile.AuthorityHost), before.AuthorityHost, after.AuthorityHost);
        Compare(nameof(SmtpOAuthProfile.Scope), before.Scope, after.Scope);
        Compare(nameof(SmtpOAuthProfile.TokenGraceSeconds), before.TokenGraceSeconds, after.TokenGraceSeconds);
        Compare(nameof(SmtpOAuthProfile.AllowNonMicrosoftHost), before.AllowNonMicrosoftHost, after.AllowNonMicrosoftHost);
        if (secretReplaced)
        {
            changes.Add("secret: replaced");
        }

        return changes;
    }

    private static string Text(object? value) => value switch
    {
        null => "(none)",
        string text when text.Length == 0 => "(none)",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(none)",
    };
}

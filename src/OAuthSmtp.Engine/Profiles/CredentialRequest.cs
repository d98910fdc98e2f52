using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Profiles;

/// <summary>
/// Which credential parameters a user gave to New- or Set-SmtpOAuthProfile. <see cref="SelectKind"/> decides the
/// profile's single credential kind, or says which parameters conflict. Kept in the engine so the rule is one
/// rule, tested without PowerShell.
/// </summary>
public sealed class CredentialRequest
{
    public bool ClientSecret { get; set; }

    public bool Credential { get; set; }

    public bool CertificateThumbprint { get; set; }

    public bool CertificateStoreLocation { get; set; }

    public bool CertificatePath { get; set; }

    public bool CertificatePassword { get; set; }

    public bool Certificate { get; set; }

    public bool ManagedIdentity { get; set; }

    public bool ManagedIdentityId { get; set; }

    public bool DeviceCode { get; set; }

    public bool Interactive { get; set; }

    public bool SecretName { get; set; }

    /// <summary>
    /// The credential kind the parameters choose. <paramref name="current"/> is the profile's kind for Set- (null
    /// for New-): parameters that only refine a kind (a new password, another store location) keep it.
    /// </summary>
    public CredentialKind SelectKind(CredentialKind? current)
    {
        var selectors = new List<string>();
        void Add(bool given, string parameter)
        {
            if (given)
            {
                selectors.Add(parameter);
            }
        }

        Add(ClientSecret, "-ClientSecret");
        Add(Credential, "-Credential");
        Add(CertificateThumbprint, "-CertificateThumbprint");
        Add(CertificatePath, "-CertificatePath");
        Add(Certificate, "-Certificate");
        Add(ManagedIdentity, "-ManagedIdentity");
        Add(DeviceCode, "-DeviceCode");
        Add(Interactive, "-Interactive");
        if (SecretName && (ClientSecret || Credential))
        {
            selectors.Add("-SecretName");
        }

        if (selectors.Count > 1)
        {
            throw Conflict($"{Join(selectors)} each choose a credential, and a profile has exactly one.", "Give only one of them.");
        }

        CredentialKind? chosen =
            ClientSecret || Credential ? CredentialKind.ClientSecret :
            CertificateThumbprint || Certificate ? CredentialKind.CertificateThumbprint :
            CertificatePath ? CredentialKind.CertificateFile :
            ManagedIdentity ? (ManagedIdentityId ? CredentialKind.UserManagedIdentity : CredentialKind.SystemManagedIdentity) :
            DeviceCode ? CredentialKind.DeviceCode :
            Interactive ? CredentialKind.Interactive :
            null;

        // Refinements without a selector act on the current kind.
        if (chosen is null)
        {
            if (SecretName)
            {
                chosen = current == CredentialKind.CertificateFile ? CredentialKind.CertificateFile : CredentialKind.ClientSecret;
            }
            else if (ManagedIdentityId && current is CredentialKind.SystemManagedIdentity or CredentialKind.UserManagedIdentity)
            {
                chosen = CredentialKind.UserManagedIdentity;
            }
            else
            {
                chosen = current;
            }
        }

        if (chosen is null)
        {
            throw new OAuthSmtpException(
                ErrorIds.MissingCredential,
                ErrorKind.InvalidArgument,
                "No credential was given.",
                "Give one of -ClientSecret, -Credential, -CertificateThumbprint, -CertificatePath, -Certificate, -ManagedIdentity, -DeviceCode, -Interactive, or -SecretName for a secret in a SecretManagement vault.");
        }

        RequireKind(CertificatePassword, "-CertificatePassword", "-CertificatePath", chosen.Value, CredentialKind.CertificateFile);
        RequireKind(CertificateStoreLocation, "-CertificateStoreLocation", "-CertificateThumbprint", chosen.Value, CredentialKind.CertificateThumbprint);
        RequireKind(ManagedIdentityId, "-ManagedIdentityId", "-ManagedIdentity", chosen.Value, CredentialKind.UserManagedIdentity);
        if (SecretName && chosen is not (CredentialKind.ClientSecret or CredentialKind.CertificateFile))
        {
            throw Conflict($"-SecretName names a client secret or certificate password, and a {chosen} credential has neither.", "Leave -SecretName out, or use it with a client secret or -CertificatePath.");
        }

        if (SecretName && CertificatePassword)
        {
            throw Conflict("-SecretName and -CertificatePassword both give the certificate password.", "Give only one of them.");
        }

        return chosen.Value;
    }

    private static void RequireKind(bool given, string parameter, string owner, CredentialKind chosen, CredentialKind required)
    {
        if (given && chosen != required)
        {
            throw Conflict($"{parameter} belongs to {owner}, and the credential is {chosen}.", $"Use {parameter} together with {owner}, or leave it out.");
        }
    }

    private static OAuthSmtpException Conflict(string message, string fix) =>
        new(ErrorIds.ConflictingCredentials, ErrorKind.InvalidArgument, message, fix);

    private static string Join(IReadOnlyList<string> parameters) =>
        parameters.Count == 2 ? parameters[0] + " and " + parameters[1] : string.Join(", ", parameters.Take(parameters.Count - 1)) + " and " + parameters[parameters.Count - 1];
}

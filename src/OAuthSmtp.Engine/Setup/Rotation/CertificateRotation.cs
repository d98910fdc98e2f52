using System;
using System.Threading;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup.Rotation;

/// <summary>The certificate half of a rotation: a new self-signed certificate, uploaded to keyCredentials.</summary>
internal static class CertificateRotation
{
    public static NewCredential? Add(CredentialRotationServices services, CredentialRotationHost host, CredentialRotationRequest request, AppCredentials app, string target, DateTimeOffset now, DateTimeOffset end, CancellationToken cancellationToken) =>
        throw new OAuthSmtpException(
            ErrorIds.CredentialRotationNotApplicable,
            ErrorKind.NotImplemented,
            $"Profile '{request.Profile.Name}' uses a certificate, and this version rotates client secrets only.",
            "Create a certificate, upload its .cer under Certificates & secrets, then Set-SmtpOAuthProfile -CertificateThumbprint.",
            request.Profile.Name);

    public static void Remove(CredentialRotationServices services, AppCredentials app, string keyId, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}

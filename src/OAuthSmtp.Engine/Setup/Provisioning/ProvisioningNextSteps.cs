using System;
using System.Linq;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// What Initialize-SmtpOAuthSetup tells the admin around its test. A delegated app is proven only by the mailbox's
/// own user signing in (device code) and a message going out as that user: the admin must know who signs in (not
/// themselves, or the saved sign-in and the test would be theirs), and, without -TestRecipient, what is left to do.
/// </summary>
public static class ProvisioningNextSteps
{
    /// <summary>Said before a delegated test: who signs in with the device code that follows.</summary>
    public static string BeforeDelegatedSignIn(string mailbox) =>
        $"The test signs {mailbox} in with a device code: open the page shown below and sign in as {mailbox}, not as yourself (the profile keeps that sign-in, and the test message goes out as that user).";

    /// <summary>Said when no test was asked for: how to test, and for a delegated app who must sign in and what the product needs.</summary>
    public static string Untested(ProvisioningRequest request, string mailbox)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var profile = PowerShellText.Quote(request.ProfileName);
        if (!request.Delegated)
        {
            return $"Test it: Test-SmtpOAuthSetup -Profile {profile} -TestRecipient <address> -Wait";
        }

        var redirects = request.RedirectUris.Count == 0 ? "its redirect URI" : string.Join(", ", request.RedirectUris.Select(u => "'" + u + "'"));
        return "Not tested yet: a delegated app works only once the mailbox's user signs in. "
            + $"To prove it from here: Test-SmtpOAuthSetup -Profile {profile} -TestRecipient <address> (or this command again with -TestRecipient), then sign in as {mailbox} with the device code it shows, not as yourself. "
            + $"The product signs each mailbox in itself through {redirects} with the client id and secret: Get-SmtpOAuthSettings -Profile {profile} -Product cmxOrganize -IncludeSecret.";
    }
}

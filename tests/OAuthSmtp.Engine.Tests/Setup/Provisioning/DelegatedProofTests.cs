using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Setup;
using OAuthSmtp.Engine.Setup.Provisioning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Setup.Provisioning;

/// <summary>
/// Initialize-SmtpOAuthSetup -Delegated (issue 17): a delegated app is proven only by the mailbox's user signing in,
/// so the admin is told who signs in, what is left without -TestRecipient, and a sign-in nobody here can answer ends
/// the wait at once instead of after -Timeout.
/// </summary>
public sealed class DelegatedProofTests
{
    private static readonly ProvisioningRequest Delegated = new()
    {
        ProfileName = "Crm",
        Mailbox = "adele.vance@contoso.com",
        Delegated = true,
        RedirectUris = new[] { "https://crm.contoso.com/App%20E-Mailkonto/continue_oauth" },
    };

    [Fact]
    public void Without_a_test_the_admin_learns_who_signs_in_and_what_the_product_needs()
    {
        var said = ProvisioningNextSteps.Untested(Delegated, "adele.vance@contoso.com");

        Assert.Contains("sign in as adele.vance@contoso.com with the device code it shows, not as yourself", said, StringComparison.Ordinal);
        Assert.Contains("Test-SmtpOAuthSetup -Profile Crm -TestRecipient <address>", said, StringComparison.Ordinal);
        Assert.Contains("'https://crm.contoso.com/App%20E-Mailkonto/continue_oauth'", said, StringComparison.Ordinal);
        Assert.Contains("-Product cmxOrganize -IncludeSecret", said, StringComparison.Ordinal);
        Assert.Equal("Test it: Test-SmtpOAuthSetup -Profile Crm -TestRecipient <address> -Wait", ProvisioningNextSteps.Untested(new ProvisioningRequest { ProfileName = "Crm" }, "x@contoso.com"));
    }

    [Fact]
    public void A_sign_in_nobody_can_answer_stops_the_wait_at_once()
    {
        var now = new DateTimeOffset(2026, 12, 4, 4, 0, 0, TimeSpan.Zero);
        var runs = 0;
        var errors = new List<OAuthSmtpException>();
        var verification = new ProvisioningVerification(
            () =>
            {
                runs++;
                return new SetupReport(new[] { new SetupCheckResult(SetupStep.Token, SetupCheckStatus.Fail, "No person can sign in here.", reasonId: ErrorIds.TokenInteractionRequired) });
            },
            () => now)
        {
            Sleep = (span, _) => now += span,
        };

        verification.Run("Crm", wait: true, TimeSpan.FromHours(1), new ProvisioningHost { Error = (error, _) => errors.Add(error) });

        Assert.Equal(1, runs);
        Assert.Equal(ErrorIds.ProvisioningNotVerified, Assert.Single(errors).ErrorId);
    }
}

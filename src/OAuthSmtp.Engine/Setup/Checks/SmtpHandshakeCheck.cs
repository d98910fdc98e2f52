using System.Collections.Generic;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Setup.Probes;
using OAuthSmtp.Engine.Trust;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>
/// The wire: connect, STARTTLS, EHLO offers XOAUTH2, AUTH XOAUTH2 succeeds, and nothing is sent. When Exchange refuses
/// although every Exchange-side check passed, the changes have not propagated yet: the result is marked pending.
/// </summary>
public sealed class SmtpHandshakeCheck : SetupCheck
{
    private static readonly SetupStep[] Dependencies =
    {
        SetupStep.Token, SetupStep.TokenPermissions, SetupStep.ServicePrincipal, SetupStep.Mailbox, SetupStep.MailboxPermission, SetupStep.SmtpAuth,
    };

    public override SetupStep Step => SetupStep.SmtpHandshake;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Authenticating to the SMTP server (STARTTLS, AUTH XOAUTH2; nothing is sent)";

    public override SetupCheckResult Run(SetupContext context)
    {
        var profile = context.Profile;
        var token = context.Token;
        if (token is null)
        {
            return Skipped("Not checked: no token.");
        }

        SmtpHandshakeResult result;
        try
        {
            // The token goes only where the host trust rule allows, whatever the profile says (a profile object built in memory included).
            HostTrustPolicy.RequireSmtpServer(profile.Cloud, profile.SmtpServer, profile.AllowNonMicrosoftHost, profile.Name);
            result = context.Wait(ct => context.Services.Smtp.HandshakeAsync(profile.SmtpServer, profile.Port, context.MailboxAddress, token, ct));
        }
        catch (OAuthSmtpException refused) when (refused.ErrorId != ErrorIds.OperationStopped)
        {
            var reply = (refused as SmtpReplyException)?.ServerReply;
            var detail = $"{profile.SmtpServer}:{profile.Port} refused AUTH for {context.MailboxAddress}" + (reply is null ? $": {refused.Message}" : $": {reply}");
            if (refused is SmtpReplyException { Reply.Code: 535 } && ExchangeSideVerified(context))
            {
                return Fail(
                    detail,
                    "Every Exchange-side setting checks out, so the refusal means Exchange has not applied the latest changes yet: new service principals, permissions and SMTP AUTH settings take minutes, sometimes up to an hour, to reach the SMTP servers.",
                    $"Wait and test again: Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -Wait -Timeout 3600",
                    SetupDocumentation.OAuthForSmtp,
                    ErrorIds.SetupPropagationPending,
                    pending: true);
            }

            return Fail(detail, refused.Message, refused.Fix, SetupDocumentation.DevicesAndApplications, refused.ErrorId);
        }

        return Pass($"{result.Server}:{result.Port}: STARTTLS ({result.TlsProtocol}), EHLO offers AUTH {result.AuthenticationMechanisms}, AUTH XOAUTH2 as {context.MailboxAddress}: {result.AuthenticationReply}. Nothing was sent.");
    }

    private static bool ExchangeSideVerified(SetupContext context) =>
        context.ExchangeIfUsable is not null
        && context.ResultOf(SetupStep.MailboxPermission)?.Status == SetupCheckStatus.Pass
        && context.ResultOf(SetupStep.SmtpAuth)?.Status == SetupCheckStatus.Pass;
}

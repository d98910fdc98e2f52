using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.Sending;
using OAuthSmtp.Engine.Trust;

namespace OAuthSmtp.Engine.Setup.Checks;

/// <summary>One short test message to -TestRecipient, from the first -From sender or the mailbox.</summary>
public sealed class TestMessageCheck : SetupCheck
{
    private static readonly SetupStep[] Dependencies = { SetupStep.SmtpHandshake, SetupStep.SendAs };

    public override SetupStep Step => SetupStep.TestMessage;

    public override IReadOnlyList<SetupStep> DependsOn => Dependencies;

    public override string Activity => "Sending a test message";

    private const string NotRequested = "Not requested: add -TestRecipient <address> to send a test message.";

    public override SetupCheckResult RunBlocked(SetupContext context, SetupStep failedStep) =>
        string.IsNullOrWhiteSpace(context.Request.TestRecipient) ? Skipped(NotRequested) : base.RunBlocked(context, failedStep);

    public override SetupCheckResult Run(SetupContext context)
    {
        var recipient = context.Request.TestRecipient;
        if (string.IsNullOrWhiteSpace(recipient))
        {
            return Skipped(NotRequested);
        }

        var profile = context.Profile;
        var from = context.Request.From.FirstOrDefault(f => !string.IsNullOrWhiteSpace(f)) ?? context.MailboxAddress;
        try
        {
            HostTrustPolicy.RequireSmtpServer(profile.Cloud, profile.SmtpServer, profile.AllowNonMicrosoftHost, profile.Name);
            var reply = context.Wait(ct => context.Services.Smtp.SendTestMessageAsync(profile.SmtpServer, profile.Port, context.MailboxAddress, context.Token!, from, recipient!, ct));
            return Pass($"Test message from {from} to {recipient} accepted: {reply}");
        }
        catch (OAuthSmtpException refused) when (refused.ErrorId != ErrorIds.OperationStopped)
        {
            var reply = (refused as SmtpReplyException)?.ServerReply;
            if (refused.ErrorId == ErrorIds.SendAsDenied && context.ResultOf(SetupStep.SendAs)?.Status == SetupCheckStatus.Pass)
            {
                return Fail(
                    $"The test message from {from} to {recipient} was refused" + (reply is null ? $": {refused.Message}" : $": {reply}"),
                    $"Exchange lists the Send As grant of {context.MailboxAddress} on {from}, so the refusal means it has not reached the mail servers yet: Send As grants take 15 to 60 minutes.",
                    $"Wait and test again: Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -From {PowerShellText.Quote(from)} -TestRecipient {PowerShellText.Quote(recipient)} -Wait -Timeout 3600",
                    SetupDocumentation.AddRecipientPermission,
                    ErrorIds.SetupPropagationPending,
                    pending: true);
            }

            if (refused.ErrorId == ErrorIds.MailboxUnlicensed && context.ResultOf(SetupStep.Mailbox)?.Status == SetupCheckStatus.Pass)
            {
                return Fail(
                    $"The test message from {from} to {recipient} was refused" + (reply is null ? $": {refused.Message}" : $": {reply}"),
                    $"Exchange lists mailbox {context.MailboxAddress} as licensed (SKUAssigned: True), so the refusal means the licence has not reached the mail servers yet: a new mailbox or licence can take up to 24 hours before SMTP accepts it.",
                    $"Wait and test again: Test-SmtpOAuthSetup -Profile {context.ProfileArgument} -TestRecipient {PowerShellText.Quote(recipient)} -Wait -Timeout 86400",
                    SetupDocumentation.SharedMailboxes,
                    ErrorIds.SetupPropagationPending,
                    pending: true);
            }

            return Fail(
                $"The test message from {from} to {recipient} was refused" + (reply is null ? $": {refused.Message}" : $": {reply}"),
                refused.Message,
                refused.Fix,
                SetupDocumentation.DevicesAndApplications,
                refused.ErrorId);
        }
    }
}

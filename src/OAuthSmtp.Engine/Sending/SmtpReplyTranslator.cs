using System;
using System.Globalization;
using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Sending;

/// <summary>
/// Turns every Exchange Online SMTP reply of EXCHANGE-FACTS 5a into an error that names the setup step at fault and
/// the command that fixes it. Decides on the reply code and the enhanced status code first, then on the distinctive
/// words of the text where Exchange reuses one code for several causes (5.7.139).
/// </summary>
public static class SmtpReplyTranslator
{
    /// <summary>The facts the messages name: who authenticated and who the message claims to be from.</summary>
    public sealed class Context
    {
        public Context(string mailbox, string? fromAddress = null, string? recipient = null)
        {
            Mailbox = mailbox ?? string.Empty;
            FromAddress = string.IsNullOrEmpty(fromAddress) ? Mailbox : fromAddress!;
            Recipient = recipient;
        }

        /// <summary>The XOAUTH2 user: the mailbox the token was presented for.</summary>
        public string Mailbox { get; }

        /// <summary>The From / MAIL FROM address of the message.</summary>
        public string FromAddress { get; }

        /// <summary>The refused recipient, for RCPT replies.</summary>
        public string? Recipient { get; }
    }

    private const string TestSetup = "Run Test-SmtpOAuthSetup to check every step and get the exact commands.";

    public static SmtpReplyException Translate(SmtpReply reply, Context context, object? targetObject = null, Exception? innerException = null)
    {
        if (reply is null)
        {
            throw new ArgumentNullException(nameof(reply));
        }

        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        var mailbox = context.Mailbox;
        var from = context.FromAddress;
        var text = reply.Text;
        var enhanced = reply.EnhancedCode ?? string.Empty;

        SmtpReplyException Make(string id, ErrorKind kind, string cause, string? fix) =>
            new(id, kind, Format(cause, reply), fix, reply, targetObject, innerException);

        switch (enhanced)
        {
            case "5.7.3" when reply.Code == 535:
                return Make(
                    ErrorIds.SmtpAuthenticationFailed,
                    ErrorKind.AuthenticationError,
                    $"Exchange Online did not accept the token for mailbox '{mailbox}' (the token itself was issued). Usually the Exchange service principal is missing or was created with the app registration's object id instead of the enterprise application's, or the service principal has no FullAccess on the mailbox (or no RBAC scope covering it), or the grant is too new to have taken effect, or the token is for another audience than https://outlook.office365.com.",
                    $"Check the service principal (New-ServicePrincipal -AppId <appId> -ObjectId <enterprise application object id>) and the mailbox permission (Add-MailboxPermission -Identity '{mailbox}' -User <service principal object id> -AccessRights FullAccess); wait up to an hour after a change. {TestSetup}");

            case "5.7.139" when Contains(text, "disabled for the Tenant"):
                return Make(
                    ErrorIds.SmtpAuthDisabledForTenant,
                    ErrorKind.PermissionDenied,
                    $"SMTP AUTH is disabled for the organisation (Get-TransportConfig: SmtpClientAuthenticationDisabled is True) and mailbox '{mailbox}' does not override it. This applies to OAuth as well as Basic authentication.",
                    $"Enable it for this mailbox only: Set-CASMailbox -Identity '{mailbox}' -SmtpClientAuthenticationDisabled $false (preferred), or for the organisation: Set-TransportConfig -SmtpClientAuthenticationDisabled $false. Changes can take up to an hour.");

            case "5.7.139" when Contains(text, "disabled for the Mailbox"):
                return Make(
                    ErrorIds.SmtpAuthDisabledForMailbox,
                    ErrorKind.PermissionDenied,
                    $"SMTP AUTH is disabled for mailbox '{mailbox}' (Get-CASMailbox: SmtpClientAuthenticationDisabled is True).",
                    $"Set-CASMailbox -Identity '{mailbox}' -SmtpClientAuthenticationDisabled $false (changes can take up to an hour).");

            case "5.7.139" when Contains(text, "basic authentication is disabled"):
                return Make(
                    ErrorIds.BasicAuthDisabled,
                    ErrorKind.AuthenticationError,
                    "Exchange Online refused Basic authentication (AUTH LOGIN) for SMTP. This module authenticates with XOAUTH2; seeing this reply means something between this computer and Exchange changed the authentication.",
                    "Send with a profile or -AccessToken so that XOAUTH2 is used. For Basic only: Set-AuthenticationPolicy <policy> -AllowBasicAuthSmtp.");

            case "5.7.139" when Contains(text, "security defaults"):
                return Make(
                    ErrorIds.SecurityDefaultsBlockSmtpAuth,
                    ErrorKind.PermissionDenied,
                    $"Entra security defaults block Basic SMTP AUTH for '{mailbox}'.",
                    "Use OAuth (a profile or -AccessToken), or move from security defaults to Conditional Access policies.");

            case "5.7.139" when Contains(text, "did not meet the criteria"):
                return Make(
                    ErrorIds.ConditionalAccessBlockSmtpAuth,
                    ErrorKind.PermissionDenied,
                    $"A Conditional Access or MFA requirement refused the sign-in of '{mailbox}' for SMTP.",
                    "Use OAuth with an application (client credentials), or exclude the account from the Conditional Access policy.");

            case "5.7.139" when Contains(text, "credentials were incorrect"):
                return Make(
                    ErrorIds.SmtpCredentialsIncorrect,
                    ErrorKind.AuthenticationError,
                    $"Exchange Online says the credentials for '{mailbox}' are incorrect (a Basic password).",
                    "Use OAuth: send with a profile or -AccessToken.");

            case "5.7.30":
                return Make(
                    ErrorIds.BasicAuthDisabled,
                    ErrorKind.AuthenticationError,
                    "Exchange Online no longer supports Basic authentication for client submission.",
                    "Send with a profile or -AccessToken so that XOAUTH2 is used.");

            case "5.5.124":
                return Make(
                    ErrorIds.MalformedXoauth2,
                    ErrorKind.ProtocolError,
                    $"The server could not read the XOAUTH2 authentication data for '{mailbox}': the user address or the token is malformed.",
                    "Check that the profile's mailbox is a plain SMTP address and that -AccessToken holds only the token (no 'Bearer ' prefix, no quotes).");

            case "5.7.57":
                return Make(
                    ErrorIds.NotAuthenticated,
                    ErrorKind.AuthenticationError,
                    "The server refused the message because the connection is not authenticated (an earlier AUTH failed or the session lost its authentication).",
                    $"Fix the authentication error reported before this one. {TestSetup}");

            case "5.2.252" when !Contains(text, "Sender throttled"):
            case "5.2.0" when Contains(text, "SendAsDenied"):
            case "5.7.60":
                return Make(
                    ErrorIds.SendAsDenied,
                    ErrorKind.PermissionDenied,
                    $"'{mailbox}' is not allowed to send as '{from}': the From address differs from the authenticated mailbox and no Send As right exists.",
                    $"Grant the right: Add-RecipientPermission -Identity '{from}' -Trustee <service principal or '{mailbox}'> -AccessRights SendAs -Confirm:$false, or send with -From '{mailbox}'.");

            case "4.3.2":
                return Make(
                    ErrorIds.ConcurrentConnectionLimit,
                    ErrorKind.LimitsExceeded,
                    $"Mailbox '{mailbox}' has more than 3 SMTP connections open at once (Exchange Online allows 3 per mailbox).",
                    "Run fewer senders at a time for this mailbox (one Send-SmtpOAuthMessage pipeline uses one connection); the send is retried with backoff.");

            case "5.2.0" when Contains(text, "SubmissionQuotaExceeded"):
                return Make(
                    ErrorIds.SubmissionQuotaExceeded,
                    ErrorKind.QuotaExceeded,
                    $"Mailbox '{mailbox}' sent to more than 10,000 recipients in the last 24 hours.",
                    "Wait until older messages leave the 24-hour window, or spread the sending across several mailboxes.");

            case "5.2.2":
                return Make(
                    ErrorIds.MailboxFull,
                    ErrorKind.QuotaExceeded,
                    $"Mailbox '{mailbox}' is full (sent copies go to its Sent Items and count against its quota).",
                    $"Free space in '{mailbox}', for example with a retention policy on Sent Items.");

            case "4.7.500":
                return Make(
                    ErrorIds.ServerBusy,
                    ErrorKind.ResourceUnavailable,
                    "Exchange Online is throttling the submission (server busy).",
                    "Try again later; the send is retried with backoff.");

            case "4.7.650":
                return Make(
                    ErrorIds.IpReputationThrottled,
                    ErrorKind.ResourceUnavailable,
                    "Exchange Online temporarily rate-limits this IP address because of its reputation.",
                    "Try again later; see https://aka.ms/postmaster.");

            case "5.7.708":
                return Make(
                    ErrorIds.OutboundIpBlocked,
                    ErrorKind.PermissionDenied,
                    "Exchange Online does not accept traffic from this IP address (low reputation, typical for new or trial tenants).",
                    "Open a Microsoft support ticket for the tenant.");

            case "5.7.705":
                return Make(
                    ErrorIds.TenantSendingBlocked,
                    ErrorKind.PermissionDenied,
                    "The whole tenant is blocked from sending (spam or compromise suspected, or the subscription expired).",
                    "Fix the cause, then contact Microsoft support.");

            case "5.7.501":
                return Make(
                    ErrorIds.SpamAbuseDetected,
                    ErrorKind.PermissionDenied,
                    "Exchange Online detected spam abuse (often sending from the initial *.onmicrosoft.com domain).",
                    "Send from a verified custom domain; contact Microsoft support if it persists.");

            case "5.1.8":
                return Make(
                    ErrorIds.RestrictedSender,
                    ErrorKind.PermissionDenied,
                    $"Mailbox '{mailbox}' is on the Restricted Users list and may not send.",
                    "Remove it from Restricted Users in the Microsoft Defender portal (Review > Restricted users).");

            case "5.7.520":
                return Make(
                    ErrorIds.ExternalForwardingBlocked,
                    ErrorKind.PermissionDenied,
                    "The outbound spam policy blocks external forwarding.",
                    "Set-HostedOutboundSpamFilterPolicy -Identity <policy> -AutoForwardingMode On (scoped to the senders that need it).");
        }

        if (reply.Stage == SmtpStage.RcptTo && reply.Code >= 500)
        {
            var who = context.Recipient ?? "a recipient";
            return Make(
                ErrorIds.RecipientRejected,
                ErrorKind.InvalidArgument,
                $"The server refused recipient '{who}'.",
                "Check the recipient address.");
        }

        if (reply.Stage == SmtpStage.Authenticate && reply.Code == 535)
        {
            return Make(
                ErrorIds.SmtpAuthenticationFailed,
                ErrorKind.AuthenticationError,
                $"Exchange Online did not accept the token for mailbox '{mailbox}'.",
                $"Check the service principal and the mailbox permission. {TestSetup}");
        }

        if (reply.IsTransient)
        {
            return Make(
                ErrorIds.SmtpTransientFailure,
                ErrorKind.ResourceUnavailable,
                "The server refused the message for now.",
                "Try again later; the send is retried with backoff.");
        }

        return Make(
            ErrorIds.SmtpCommandFailed,
            ErrorKind.InvalidOperation,
            "The server refused the message.",
            TestSetup);
    }

    private static bool Contains(string text, string value) =>
        text.IndexOf(value, StringComparison.OrdinalIgnoreCase) >= 0;

    private static string Format(string cause, SmtpReply reply) =>
        string.Format(CultureInfo.InvariantCulture, "{0} Server reply: {1}", cause, reply);
}

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

        SmtpReplyException MakeFinal(string id, ErrorKind kind, string cause, string? fix) =>
            new(id, kind, Format(cause, reply), fix, reply, targetObject, innerException, retryable: false);

        if (Contains(text, "MaxSubmissionExceeded"))
        {
            // Reported with several codes (the text names the exception); the mailbox's MaxSendSize is the limit.
            return Make(
                ErrorIds.MessageTooLarge,
                ErrorKind.LimitsExceeded,
                $"The message is larger than mailbox '{mailbox}' may send (its MaxSendSize, 35 MB by default; attachments grow by about a third in base64).",
                $"Check the limit with Get-Mailbox '{mailbox}' | Select MaxSendSize and send smaller attachments (or share large files by link), or raise it: Set-Mailbox '{mailbox}' -MaxSendSize 150MB.");
        }

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

            case "5.2.251" when IsThrottled(reply):
            case "5.2.252" when IsThrottled(reply):
            case "5.2.253" when IsThrottled(reply):
            case "5.2.254" when IsThrottled(reply):
            case "5.2.255" when IsThrottled(reply):
                var (what, cure) = ThrottleCause(enhanced, mailbox, from);
                return Make(
                    ErrorIds.SenderThrottled,
                    ErrorKind.LimitsExceeded,
                    $"Exchange Online has locked mailbox '{mailbox}' out of sending because of continuing {what} errors. Retrying now will not help: the lockout lasts for a time Microsoft decides (support cannot lift it) and applies to every program sending from this mailbox, so the rest of this pipeline is not sent.",
                    $"{cure} Then wait before sending again (the saved or carried messages can be resent with -Message or -MessagePath), or send from another mailbox.");

            case "5.2.252":
            case "5.7.60":
            case "5.2.0" when Contains(text, "SendAsDenied"):
                return Make(
                    ErrorIds.SendAsDenied,
                    ErrorKind.PermissionDenied,
                    $"'{mailbox}' (the mailbox the token signed in as) is not allowed to send as '{from}'. With XOAUTH2 the authenticating mailbox needs Send As on the From address; a grant to the app's service principal alone is not enough.",
                    $"Add-RecipientPermission -Identity '{from}' -Trustee '{mailbox}' -AccessRights SendAs -Confirm:$false (it can take up to an hour), or send with -From '{mailbox}'.");

            case "4.3.2":
                return Make(
                    ErrorIds.ConcurrentConnectionLimit,
                    ErrorKind.LimitsExceeded,
                    $"Mailbox '{mailbox}' is submitting more than 3 messages at once (Exchange Online limits simultaneous submissions per mailbox to 3, across every program and connection using it).",
                    "Run fewer senders at a time for this mailbox (one Send-SmtpOAuthMessage pipeline submits one message at a time); the send is retried with backoff.");

            case "4.7.66":
                return MakeFinal(
                    ErrorIds.TlsVersionNotSupported,
                    ErrorKind.SecurityError,
                    "The connection negotiated TLS 1.0 or 1.1, which Exchange Online refuses; a retry would negotiate the same version, so none was made.",
                    "Allow TLS 1.2 on this computer (on Windows PowerShell 5.1: the SchUseStrongCrypto registry values for .NET Framework, or a newer Windows), or use the legacy endpoint smtp-legacy.office365.com after Set-TransportConfig -AllowLegacyTLSClients $true.");

            case "5.3.4" when Contains(text, "Header size"):
                return Make(
                    ErrorIds.HeaderTooLarge,
                    ErrorKind.LimitsExceeded,
                    "Exchange Online refused the message because its header block exceeds the service's fixed maximum header size (a single header may not exceed 32,768 bytes; many To/Cc addresses or long custom headers add up).",
                    $"Shorten the headers: fewer To/Cc addresses per message (Bcc is not a header), shorter -Headers values. For the size limit of the whole message: Get-Mailbox '{mailbox}' | Select MaxSendSize.");

            case "5.2.0" when Contains(text, "InvalidLicense") || Contains(text, "license is invalid"):
                // No public log of the one-off reply exists (EXCHANGE-FACTS 5a, 9.9): the exception name decides.
                return Make(
                    ErrorIds.MailboxUnlicensed,
                    ErrorKind.PermissionDenied,
                    $"Exchange Online refused the message because mailbox '{mailbox}' has no valid Exchange Online licence. A user mailbox needs one to send (a shared mailbox does not); a licence assigned recently can take up to 24 hours to reach SMTP. Repeated refusals lock the mailbox out of sending (550 5.2.253).",
                    $"Check the licence (Get-Mailbox '{mailbox}' | Select SKUAssigned) and assign one that includes Exchange Online, or send from a shared mailbox; if it was assigned recently, wait: Test-SmtpOAuthSetup -TestRecipient <address> -Wait -Timeout 86400.");

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

    /// <summary>
    /// 550 5.2.25x "Sender throttled due to continuous ..." (the lockout); 554 5.2.252 SendAsDenied shares the
    /// enhanced code, so the reply code and the words decide (EXCHANGE-FACTS 5a).
    /// </summary>
    private static bool IsThrottled(SmtpReply reply) =>
        reply.Code == 550 || Contains(reply.Text, "Sender throttled");

    private static (string What, string Cure) ThrottleCause(string enhanced, string mailbox, string from) => enhanced switch
    {
        "5.2.251" => ("mailbox full", $"Free space in '{mailbox}' (sent copies fill its Sent Items; a retention policy keeps it small)."),
        "5.2.252" => ("send as denied", $"Grant Send As to the authenticating mailbox: Add-RecipientPermission -Identity '{from}' -Trustee '{mailbox}' -AccessRights SendAs -Confirm:$false, or send with -From '{mailbox}'."),
        "5.2.253" => ("invalid license", $"Assign '{mailbox}' a licence that includes Exchange Online, or send from a shared mailbox (no licence needed)."),
        "5.2.254" => ("too many recipients", "Send to fewer recipients per message and per day (10,000 recipients a day per mailbox)."),
        _ => ("invalid recipients", "Remove addresses that do not exist from the recipient list (the earlier RecipientRejected errors name them)."),
    };

    private static bool Contains(string text, string value) =>
        text.IndexOf(value, StringComparison.OrdinalIgnoreCase) >= 0;

    private static string Format(string cause, SmtpReply reply) =>
        string.Format(CultureInfo.InvariantCulture, "{0} Server reply: {1}", cause, reply);
}

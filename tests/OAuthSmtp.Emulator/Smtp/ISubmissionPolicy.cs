using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Smtp;

/// <summary>
/// What the SMTP server asks the tenant: the server speaks the protocol, the policy decides as Exchange Online
/// does (EXCHANGE-FACTS sections 3, 5a, 6). Replies are returned whole (code, enhanced code, text);
/// the server appends the host tag where <see cref="SmtpReply.AppendHostTag"/> says so.
/// </summary>
public interface ISubmissionPolicy
{
    /// <summary>AUTH XOAUTH2: the user= value and the bearer token.</summary>
    AuthDecision AuthenticateOAuth(string user, string accessToken);

    /// <summary>AUTH LOGIN (Basic).</summary>
    AuthDecision AuthenticateBasic(string user, string password);

    /// <summary>MAIL FROM after AUTH: null accepts (250 2.1.0 Sender OK). Send As is not judged here: Exchange refuses it after the data.</summary>
    SmtpReply? CheckMailFrom(AuthenticatedPrincipal principal, string reversePath) => null;

    /// <summary>RCPT TO after MAIL FROM: the client's IP address (as the server sees it) and the recipient; null accepts (250 2.1.5 Recipient OK).</summary>
    SmtpReply? CheckRecipient(AuthenticatedPrincipal principal, string clientAddress, string recipient) => null;

    /// <summary>End of data: the From header's addresses, the envelope sender, the recipients and the size; null accepts.</summary>
    SmtpReply? CheckMessage(AuthenticatedPrincipal principal, SubmittedMessage message);
}

/// <summary>What the end of data hands the policy.</summary>
public sealed record SubmittedMessage(IReadOnlyList<string> FromHeaderAddresses, string EnvelopeSender, IReadOnlyList<string> Recipients, long Size);

/// <summary>Who authenticated: the mailbox in user= and the principal (service principal or user) behind the token.</summary>
public sealed record AuthenticatedPrincipal(string Mailbox, string PrincipalId, bool IsApplication, string DisplayName)
{
    /// <summary>For a delegated token or Basic auth: the signed-in user's UPN (whose SendAs rights count).</summary>
    public string? UserPrincipalName { get; init; }
}

public sealed record AuthDecision(AuthenticatedPrincipal? Principal, SmtpReply Reply)
{
    public bool Accepted => Principal is not null;

    /// <summary>Why the policy decided so, in the admin's words: written to the session transcript, never sent to the client.</summary>
    public string? Reason { get; init; }
}

public sealed record SmtpReply(int Code, string Text, bool AppendHostTag = false)
{
    /// <summary>The kind of refusal this is for continuous error throttling (CET-DOC), or null when it does not count.</summary>
    public ContinuousErrorKind? CountsTowards { get; init; }

    public override string ToString() => $"{Code} {Text}";
}

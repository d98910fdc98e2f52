using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.SendPlanning;

/// <summary>
/// Which errors found while preparing a message concern only that message (reported, the pipeline goes on) and
/// which concern the whole call (profile, store, credential, token: the command stops, since every further message
/// would fail the same way).
/// </summary>
public static class SendErrorScope
{
    public static bool ConcernsOneMessage(OAuthSmtpException exception) => ConcernsOneMessage(exception.ErrorId);

    public static bool ConcernsOneMessage(string errorId) =>
        errorId is ErrorIds.InvalidEmailAddress or ErrorIds.NoRecipients or ErrorIds.SenderRequired
            or ErrorIds.AttachmentNotFound or ErrorIds.AttachmentUnreadable or ErrorIds.MessageFileUnreadable or ErrorIds.HeaderInjection
            or ErrorIds.InvalidHeader or ErrorIds.InvalidMessageInput;
}

using OAuthSmtp.Engine.Errors;
using OAuthSmtp.Engine.SendPlanning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.SendPlanning;

public sealed class SendErrorScopeTests
{
    [Theory]
    [InlineData(ErrorIds.AttachmentNotFound, true)]
    [InlineData(ErrorIds.InvalidEmailAddress, true)]
    [InlineData(ErrorIds.InvalidMessageInput, true)]
    [InlineData(ErrorIds.ProfileNotFound, false)]
    [InlineData(ErrorIds.NotAnAccessToken, false)]
    [InlineData(ErrorIds.SendCredentialMissing, false)]
    public void Bad_input_concerns_one_message_and_profile_or_credential_errors_the_whole_call(string id, bool oneMessage) =>
        Assert.Equal(oneMessage, SendErrorScope.ConcernsOneMessage(id));
}

using OAuthSmtp.Engine.SendPlanning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.SendPlanning;

public sealed class PipelineRecordClassifierTests
{
    [Theory]
    [InlineData(true, new[] { "Attachments" }, PipelineRecordRole.AttachmentOfCommandLineMessage)]
    [InlineData(true, new[] { "attachments" }, PipelineRecordRole.AttachmentOfCommandLineMessage)]
    [InlineData(true, new[] { "To", "Subject", "Attachments" }, PipelineRecordRole.Message)]
    [InlineData(true, new[] { "To" }, PipelineRecordRole.Message)]
    [InlineData(true, new string[0], PipelineRecordRole.Message)]
    [InlineData(false, new[] { "MessagePath" }, PipelineRecordRole.Message)]
    public void Only_an_object_that_bound_nothing_but_attachments_joins_the_command_line_message(bool fields, string[] bound, PipelineRecordRole expected) =>
        Assert.Equal(expected, PipelineRecordClassifier.Classify(fields, bound));
}

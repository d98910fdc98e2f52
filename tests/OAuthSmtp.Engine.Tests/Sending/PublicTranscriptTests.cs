using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using OAuthSmtp.Engine.Sending;
using Xunit;

namespace OAuthSmtp.Engine.Tests.Sending;

/// <summary>
/// Replies of the real smtp.office365.com as users quoted them in public issue threads (Resources/Smtp/public-*.txt,
/// each naming its thread), replayed through MailKit and our sender: each must end in its own error id with the whole
/// real reply kept in the error, so a change in Exchange's wording that our translation no longer recognises shows here.
/// The general theory in <see cref="SmtpReplyTranslatorTests"/> replays these files too.
/// </summary>
public sealed class PublicTranscriptTests
{
    public static TheoryData<string> PublicTranscripts()
    {
        var data = new TheoryData<string>();
        foreach (var name in RecordedTranscript.Names().Where(n => n.StartsWith("public-", StringComparison.Ordinal))) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(PublicTranscripts))]
    public async Task A_real_reply_ends_in_its_error_id_and_is_kept_whole(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(RecordedTranscript.Folder(), name + ".txt"));
        var source = lines.Single(l => l.StartsWith("# Decisive reply verbatim from ", StringComparison.Ordinal));
        // A user's log in a public thread, or, where no log exists (5.2.25x), Microsoft's documented text.
        Assert.Matches(@"(https://github\.com/[\w.-]+/[\w.-]+/(issues|pull|discussions)/\d+|https://learn\.microsoft\.com/[\w./-]+)$", source);
        var transcript = RecordedTranscript.Load(name);
        Assert.NotEqual(string.Empty, transcript.ExpectedErrorId);

        var (result, _) = await SmtpReplyTranslatorTests.SendOneAsync(transcript, from: "ceo@contoso.com");

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(transcript.ExpectedErrorId, result.ErrorId);
        var decisive = transcript.RepliesGiven.Last(r => !Regex.IsMatch(r, @"^(250 2\.0\.0 Resetting|221 |503 )")).TrimEnd('\r', '\n');
        Assert.Contains(decisive, result.ServerReply);
    }

    [Theory]
    [InlineData("public-ehlo-421-4.7.66-sendemail-1")]
    [InlineData("public-data-552-5.3.4-mailkit-904")]
    [InlineData("public-data-554-5.2.0-max-submission-pm2-health-52")]
    [InlineData("public-mail-550-5.2.251-mailbox-full-cet-doc")]
    [InlineData("public-mail-550-5.2.252-send-as-denied-cet-doc")]
    [InlineData("public-mail-550-5.2.253-invalid-license-cet-doc")]
    [InlineData("public-mail-550-5.2.254-too-many-recipients-cet-doc")]
    [InlineData("public-mail-550-5.2.255-invalid-recipients-cet-doc")]
    public void Each_reply_row_of_issue_14_has_its_public_transcript(string name) =>
        Assert.Contains(name, RecordedTranscript.Names());

    [Fact]
    public void There_are_public_transcripts_for_auth_and_for_the_end_of_the_data()
    {
        var names = RecordedTranscript.Names().Where(n => n.StartsWith("public-", StringComparison.Ordinal)).ToList();
        Assert.Contains(names, n => n.StartsWith("public-auth-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("public-data-", StringComparison.Ordinal));
    }
}

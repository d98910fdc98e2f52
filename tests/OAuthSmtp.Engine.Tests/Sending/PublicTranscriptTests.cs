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
        Assert.Matches(@"https://github\.com/[\w.-]+/[\w.-]+/(issues|pull|discussions)/\d+$", source);
        var transcript = RecordedTranscript.Load(name);
        Assert.NotEqual(string.Empty, transcript.ExpectedErrorId);

        var (result, _) = await SmtpReplyTranslatorTests.SendOneAsync(transcript, from: "ceo@contoso.com");

        Assert.Equal(SendStatus.Failed, result.Status);
        Assert.Equal(transcript.ExpectedErrorId, result.ErrorId);
        var decisive = transcript.RepliesGiven.Last(r => !Regex.IsMatch(r, @"^(250 2\.0\.0 Resetting|221 |503 )")).TrimEnd('\r', '\n');
        Assert.Contains(decisive, result.ServerReply);
    }

    [Fact]
    public void There_are_public_transcripts_for_auth_and_for_the_end_of_the_data()
    {
        var names = RecordedTranscript.Names().Where(n => n.StartsWith("public-", StringComparison.Ordinal)).ToList();
        Assert.Contains(names, n => n.StartsWith("public-auth-", StringComparison.Ordinal));
        Assert.Contains(names, n => n.StartsWith("public-data-", StringComparison.Ordinal));
    }
}

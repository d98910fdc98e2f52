using System.Collections.Generic;
using System.Linq;
using OAuthSmtp.Engine.SendPlanning;
using Xunit;

namespace OAuthSmtp.Engine.Tests.SendPlanning;

public sealed class AttachmentPathListTests
{
    private static readonly HashSet<string> Files = new() { "a.pdf", "b.pdf", "c.txt", "odd;name.pdf", "report[1].pdf" };

    private static IReadOnlyList<string> Expand(params string[] values) =>
        AttachmentPathList.Expand(values, Files.Contains, pattern => pattern switch
        {
            "*.pdf" => new[] { "b.pdf", "a.pdf", "odd;name.pdf", "report[1].pdf" },
            _ => Enumerable.Empty<string>(),
        });

    [Fact]
    public void A_semicolon_list_names_several_files() =>
        Assert.Equal(new[] { "a.pdf", "b.pdf" }, Expand("a.pdf; b.pdf"));

    [Fact]
    public void A_wildcard_names_every_match_in_name_order() =>
        Assert.Equal(new[] { "a.pdf", "b.pdf", "odd;name.pdf", "report[1].pdf" }, Expand("*.pdf"));

    [Fact]
    public void An_existing_file_is_itself_even_with_separator_or_wildcard_characters() =>
        Assert.Equal(new[] { "odd;name.pdf", "report[1].pdf" }, Expand("odd;name.pdf", "report[1].pdf"));

    [Fact]
    public void A_name_or_pattern_that_matches_nothing_is_kept_so_the_message_is_refused() =>
        Assert.Equal(new[] { "missing.pdf", "*.doc" }, Expand("missing.pdf", "*.doc"));

    [Fact]
    public void Empty_values_and_parts_name_nothing() =>
        Assert.Equal(new[] { "a.pdf" }, Expand("", " ", "a.pdf;;"));
}

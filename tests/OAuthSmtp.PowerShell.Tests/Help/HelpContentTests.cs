using System.IO;
using System.Linq;
using OAuthSmtp.Hosting;
using OAuthSmtp.ModuleTools.Help;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Help;

/// <summary>
/// What Get-Help shows for the imported module: every cmdlet has a synopsis and explained examples, every public
/// parameter a description, the about topic is found, and the shipped help (module/en-US) is what docs/help generates.
/// </summary>
public sealed class HelpContentTests : IClassFixture<ModuleSessionFixture>
{
    private readonly PowerShellSession _session;

    public HelpContentTests(ModuleSessionFixture fixture) => _session = fixture.Session;

    private string[] Gaps(string script)
    {
        var result = _session.Run(script);
        Assert.False(result.HadTerminatingError, result.ErrorText);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => o.ToString()).ToArray();
    }

    [Fact]
    public void Every_public_parameter_of_every_cmdlet_has_a_description()
    {
        var gaps = Gaps("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters
            $commands = @(Get-Command -Module OAuthSmtp)
            if ($commands.Count -eq 0) { 'the module exports no cmdlets' }
            foreach ($command in $commands) {
                $described = @{}
                foreach ($parameter in @((Get-Help $command.Name -Full).parameters.parameter)) {
                    $described[$parameter.name] = [string]::Join(' ', @($parameter.description | ForEach-Object { $_.Text }))
                }
                foreach ($name in $command.Parameters.Keys) {
                    if ($common -contains $name) { continue }
                    # Hidden parameters (DontShow) are for tests and tools, not users: help leaves them out.
                    if (@($command.Parameters[$name].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count -gt 0) { continue }
                    if (-not $described.ContainsKey($name)) { "$($command.Name) -$name is not in its help" }
                    elseif ([string]::IsNullOrWhiteSpace($described[$name])) { "$($command.Name) -$name has no description" }
                }
            }
            """);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Every_cmdlet_has_a_synopsis_a_description_and_at_least_two_explained_examples()
    {
        var gaps = Gaps("""
            foreach ($command in Get-Command -Module OAuthSmtp) {
                $help = Get-Help $command.Name -Full
                $synopsis = "$($help.Synopsis)".Trim()
                # Without help, Get-Help makes the synopsis up from the syntax, which starts with the name.
                if ($synopsis.Length -eq 0 -or $synopsis.StartsWith($command.Name)) { "$($command.Name): no synopsis" }
                if (@($help.description | Where-Object { $_.Text }).Count -eq 0) { "$($command.Name): no description" }
                $examples = @($help.examples.example)
                if ($examples.Count -lt 2) { "$($command.Name): $($examples.Count) example(s)" }
                foreach ($example in $examples) {
                    if ([string]::IsNullOrWhiteSpace("$($example.code)")) { "$($command.Name): $($example.title) has no code" }
                    if (@($example.remarks | Where-Object { $_.Text }).Count -eq 0) { "$($command.Name): $($example.title) is not explained" }
                }
            }
            """);

        Assert.Empty(gaps);
    }

    [Fact]
    public void Get_Help_Send_SmtpOAuthMessage_Full_shows_synopsis_parameters_and_examples()
    {
        var result = _session.Run("Get-Help Send-SmtpOAuthMessage -Full", render: true);
        Assert.False(result.HadTerminatingError, result.ErrorText);
        var text = result.HostText;

        var markdown = File.ReadAllText(Path.Combine(PowerShellSession.RepositoryRoot, "docs", "help", "Send-SmtpOAuthMessage.md"));
        var help = CommandHelpParser.Parse("Send-SmtpOAuthMessage.md", markdown);
        Assert.Contains("SYNOPSIS", text);
        Assert.Contains(help.Synopsis, Flatten(text));
        foreach (var parameter in help.Parameters)
        {
            Assert.Contains("-" + parameter.Name, text);
        }

        Assert.Contains("Example 1", text);
        Assert.Contains("Example 2", text);
        Assert.Contains(help.Examples[0].Code[0].Split('\n')[0], text);
    }

    [Fact]
    public void The_about_topic_tells_the_setup_story_and_the_troubleshooting_table()
    {
        var result = _session.Run("Get-Help about_OAuthSmtp | ForEach-Object { $_.ToString() }");
        Assert.False(result.HadTerminatingError, result.ErrorText);
        var text = string.Join("\n", result.Output.Select(o => o.ToString()));

        Assert.StartsWith("TOPIC", text.TrimStart());
        foreach (var expected in new[] { "New-ServicePrincipal", "SMTP.SendAsApp", "FullAccess", "Set-CASMailbox", "Add-RecipientPermission", "TROUBLESHOOTING", "535 5.7.3", "AADSTS7000215" })
        {
            Assert.Contains(expected, text);
        }
    }

    [Fact]
    public void The_shipped_help_is_what_the_markdown_generates()
    {
        var stale = HelpGenerator.FindStaleFiles(PowerShellSession.RepositoryRoot);

        Assert.True(stale.Count == 0, $"module/en-US is out of step with docs/help: {string.Join(", ", stale)}. Regenerate with: dotnet run --project tools/OAuthSmtp.ModuleTools -- help");
    }

    private static string Flatten(string text) => string.Join(" ", text.Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries));
}

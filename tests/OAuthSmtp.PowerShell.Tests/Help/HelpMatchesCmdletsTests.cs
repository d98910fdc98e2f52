using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using OAuthSmtp.Hosting;
using OAuthSmtp.ModuleTools.Help;
using Xunit;

namespace OAuthSmtp.PowerShell.Tests.Help;

/// <summary>
/// The help pages say what the cmdlets really do: one page per exported cmdlet, the same parameter sets, and for
/// every parameter in every set the same type, Required, Position and pipeline input as the compiled cmdlet.
/// (PSReadLine's CheckHelpContent idea: the help is checked against the real signatures, not trusted.)
/// </summary>
public sealed class HelpMatchesCmdletsTests : IClassFixture<ModuleSessionFixture>
{
    private readonly PowerShellSession _session;

    public HelpMatchesCmdletsTests(ModuleSessionFixture fixture) => _session = fixture.Session;

    private sealed record ActualParameter(string Command, string Name, string Set, bool Mandatory, string Position, bool ByValue, bool ByPropertyName, string TypeName, bool IsDefaultSet);

    private List<ActualParameter> ReadMetadata()
    {
        var result = _session.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters
            foreach ($command in Get-Command -Module OAuthSmtp) {
                foreach ($set in $command.ParameterSets) {
                    foreach ($parameter in $set.Parameters) {
                        if ($common -contains $parameter.Name) { continue }
                        if (@($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow }).Count -gt 0) { continue }
                        $position = if ($parameter.Position -ge 0) { "$($parameter.Position)" } else { 'Named' }
                        [string]::Join('|', @($command.Name, $parameter.Name, $set.Name, $parameter.IsMandatory, $position,
                            $parameter.ValueFromPipeline, $parameter.ValueFromPipelineByPropertyName, $parameter.ParameterType.Name, $set.IsDefault))
                    }
                }
            }
            """);
        Assert.False(result.HadTerminatingError, result.ErrorText);
        return result.Output.Select(o => o.ToString().Split('|')).Select(f => new ActualParameter(
            f[0], f[1], f[2], bool.Parse(f[3]), f[4], bool.Parse(f[5]), bool.Parse(f[6]), f[7], bool.Parse(f[8]))).ToList();
    }

    private static Dictionary<string, CommandHelp> ReadDocs() =>
        Directory.GetFiles(Path.Combine(PowerShellSession.RepositoryRoot, "docs", "help"), "*.md")
            .Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.Ordinal))
            .Select(f => CommandHelpParser.Parse(Path.GetFileName(f), File.ReadAllText(f)))
            .ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void Every_exported_cmdlet_has_a_help_page_and_every_page_an_exported_cmdlet()
    {
        var exported = ReadMetadata().Select(p => p.Command).Distinct().OrderBy(n => n).ToArray();
        var documented = ReadDocs().Keys.OrderBy(n => n).ToArray();

        Assert.NotEmpty(exported);
        Assert.Equal(exported, documented);
    }

    [Fact]
    public void The_help_pages_give_each_parameter_its_real_sets_type_position_and_pipeline_input()
    {
        var actual = ReadMetadata();
        var docs = ReadDocs();
        var problems = new List<string>();
        foreach (var command in actual.GroupBy(p => p.Command))
        {
            if (!docs.TryGetValue(command.Key, out var help))
            {
                continue; // Reported by the test above.
            }

            var sets = command.Select(p => p.Set).Distinct().ToList();
            var documentedSets = help.Syntax.Select(s => s.Name).ToList();
            if (sets.Count > 1 && !sets.OrderBy(s => s).SequenceEqual(documentedSets.OrderBy(s => s)))
            {
                problems.Add($"{command.Key}: parameter sets are {string.Join(", ", sets)}; SYNTAX has {string.Join(", ", documentedSets)}");
            }

            var defaultSet = command.FirstOrDefault(p => p.IsDefaultSet)?.Set;
            if (sets.Count > 1 && help.Syntax.FirstOrDefault(s => s.IsDefault)?.Name != defaultSet)
            {
                problems.Add($"{command.Key}: the default parameter set is {defaultSet}; SYNTAX marks another one (Default)");
            }

            foreach (var parameter in command)
            {
                var documented = help.Parameters.FirstOrDefault(p => p.Name == parameter.Name);
                if (documented is null)
                {
                    problems.Add($"{command.Key} -{parameter.Name}: not in PARAMETERS");
                    continue;
                }

                var usage = documented.Usages.FirstOrDefault(u => sets.Count == 1 || u.AppliesTo(parameter.Set));
                if (usage is null)
                {
                    problems.Add($"{command.Key} -{parameter.Name}: no YAML block covers parameter set {parameter.Set}");
                    continue;
                }

                var where = $"{command.Key} -{parameter.Name} ({parameter.Set})";
                if (!SameType(usage.Type, parameter.TypeName))
                {
                    problems.Add($"{where}: Type is {parameter.TypeName}, help says {usage.Type}");
                }

                if (usage.Required != parameter.Mandatory)
                {
                    problems.Add($"{where}: Required is {parameter.Mandatory}, help says {usage.Required}");
                }

                if (!string.Equals(usage.Position, parameter.Position, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{where}: Position is {parameter.Position}, help says {usage.Position}");
                }

                if (usage.PipelineInput.Contains("ByValue", StringComparison.Ordinal) != parameter.ByValue
                    || usage.PipelineInput.Contains("ByPropertyName", StringComparison.Ordinal) != parameter.ByPropertyName)
                {
                    problems.Add($"{where}: pipeline input is ByValue={parameter.ByValue}, ByPropertyName={parameter.ByPropertyName}; help says {usage.PipelineInput}");
                }
            }

            foreach (var extra in help.Parameters.Where(d => command.All(p => p.Name != d.Name)))
            {
                problems.Add($"{command.Key} -{extra.Name}: in the help, not on the cmdlet");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static bool SameType(string documented, string actualName)
    {
        var lastDot = documented.LastIndexOf('.', documented.EndsWith("[]", StringComparison.Ordinal) ? documented.Length - 3 : documented.Length - 1);
        var shortName = lastDot < 0 ? documented : documented.Substring(lastDot + 1);
        return string.Equals(shortName, actualName, StringComparison.OrdinalIgnoreCase);
    }
}

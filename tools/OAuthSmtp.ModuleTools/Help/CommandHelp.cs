using System.Collections.Generic;
using System.Linq;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>One cmdlet's help as platyPS markdown describes it: what the MAML writer needs, nothing more.</summary>
public sealed record CommandHelp(
    string Name,
    string Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    public string Verb => Name.Substring(0, Name.IndexOf('-'));

    public string Noun => Name.Substring(Name.IndexOf('-') + 1);
}

/// <summary>A parameter set as the SYNTAX section names it ("### Name (Default)").</summary>
public sealed record SyntaxSet(string Name, bool IsDefault);

/// <summary>An example: its title, its code blocks (command, then output) and the prose that explains them.</summary>
public sealed record ExampleHelp(string Title, IReadOnlyList<string> Code, IReadOnlyList<string> Remarks);

/// <summary>A parameter: its description and one usage per YAML block (platyPS writes one per distinct set behaviour).</summary>
public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterUsage> Usages);

/// <summary>One YAML block of a parameter.</summary>
public sealed record ParameterUsage(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    string Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing)
{
    /// <summary>Whether the usage applies to every parameter set ("Parameter Sets: (All)").</summary>
    public bool InAllSets => ParameterSets.Count == 0;

    public bool IsSwitch => Type is "SwitchParameter" or "System.Management.Automation.SwitchParameter";

    public bool AppliesTo(string set) => InAllSets || ParameterSets.Contains(set);
}

/// <summary>An input or output type and what it means.</summary>
public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

public sealed record LinkHelp(string Text, string Uri);

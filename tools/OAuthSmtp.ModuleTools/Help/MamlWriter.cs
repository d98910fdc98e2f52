using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace OAuthSmtp.ModuleTools.Help;

/// <summary>
/// Writes command help as MAML, the XML Get-Help reads from &lt;module&gt;/&lt;culture&gt;/&lt;assembly&gt;-Help.xml:
/// the element layout platyPS's New-ExternalHelp produces (details, description, syntax per parameter set,
/// parameters, inputTypes, returnValues, alertSet, examples, relatedLinks).
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static string Write(IEnumerable<CommandHelp> commands)
    {
        var root = new XElement(
            Msh + "helpItems",
            new XAttribute("schema", "maml"),
            commands.Select(CommandElement));
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            Encoding = new UTF8Encoding(false),
        };
        using var text = new Utf8StringWriter();
        using (var writer = XmlWriter.Create(text, settings))
        {
            new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(writer);
        }

        return text.ToString() + "\n";
    }

    private static XElement CommandElement(CommandHelp help) => new(
        Command + "command",
        new XAttribute(XNamespace.Xmlns + "maml", Maml),
        new XAttribute(XNamespace.Xmlns + "command", Command),
        new XAttribute(XNamespace.Xmlns + "dev", Dev),
        new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
        new XElement(
            Command + "details",
            new XElement(Command + "name", help.Name),
            new XElement(Command + "verb", help.Verb),
            new XElement(Command + "noun", help.Noun),
            Description(new[] { help.Synopsis })),
        Description(help.Description),
        new XElement(Command + "syntax", help.Syntax.Select(set => SyntaxItem(help, set))),
        new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Usages[0], inSyntax: false))),
        new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
        new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
        new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
        new XElement(Command + "examples", help.Examples.Select(Example)),
        new XElement(Command + "relatedLinks", help.RelatedLinks.Select(Link)));

    private static XElement SyntaxItem(CommandHelp help, SyntaxSet set)
    {
        // Positional parameters first, by position, then the rest in the order the markdown gives them.
        var used = help.Parameters
            .Select(p => (Parameter: p, Usage: p.Usages.FirstOrDefault(u => u.AppliesTo(set.Name))))
            .Where(p => p.Usage is not null)
            .Select((p, index) => (p.Parameter, Usage: p.Usage!, Index: index))
            .OrderBy(p => int.TryParse(p.Usage.Position, out var position) ? position : int.MaxValue)
            .ThenBy(p => p.Index);
        return new XElement(
            Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            used.Select(p => Parameter(p.Parameter, p.Usage, inSyntax: true)));
    }

    private static XElement Parameter(ParameterHelp parameter, ParameterUsage usage, bool inSyntax)
    {
        var element = new XElement(
            Command + "parameter",
            new XAttribute("required", usage.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", usage.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", usage.PipelineInput),
            new XAttribute("position", usage.Position.ToLowerInvariant() == "named" ? "named" : usage.Position),
            new XAttribute("aliases", usage.Aliases.Count == 0 ? "none" : string.Join(", ", usage.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));

        // A switch takes no value: the syntax shows [-Name], not [-Name <SwitchParameter>].
        if (!(inSyntax && usage.IsSwitch))
        {
            element.Add(new XElement(
                Command + "parameterValue",
                new XAttribute("required", usage.IsSwitch ? "false" : "true"),
                new XAttribute("variableLength", "false"),
                usage.Type));
        }

        element.Add(
            new XElement(Dev + "type", new XElement(Maml + "name", usage.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", usage.DefaultValue.Length == 0 ? "None" : usage.DefaultValue));
        return element;
    }

    private static XElement TypeElement(string kind, TypeHelp type) => new(
        Command + kind,
        new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
        Description(type.Description));

    private static XElement Example(ExampleHelp example) => new(
        Command + "example",
        new XElement(Maml + "title", $"-------------------------- {example.Title} --------------------------"),
        new XElement(Dev + "code", string.Join("\n\n", example.Code)),
        new XElement(Dev + "remarks", Paras(example.Remarks)));

    private static XElement Link(LinkHelp link) => new(
        Maml + "navigationLink",
        new XElement(Maml + "linkText", link.Text),
        new XElement(Maml + "uri", link.Uri.StartsWith("http", System.StringComparison.OrdinalIgnoreCase) ? link.Uri : string.Empty));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs)
    {
        var list = paragraphs.ToList();
        return list.Count == 0
            ? new[] { new XElement(Maml + "para") }
            : list.Select(p => new XElement(Maml + "para", p));
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public override Encoding Encoding => new UTF8Encoding(false);
    }
}

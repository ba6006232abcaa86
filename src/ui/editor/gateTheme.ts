// The editor's colour theme, matched to the app shell's dark palette (see src/ui/styles.css).
import type * as monaco from 'monaco-editor/editor/editor.api';

export const GATE_THEME = 'gatehouse-dark';

export const gateTheme: monaco.editor.IStandaloneThemeData = {
  base: 'vs-dark',
  inherit: true,
  rules: [
    { token: 'comment', foreground: '6a7a8c', fontStyle: 'italic' },
    { token: 'keyword', foreground: 'c792ea' },
    { token: 'string', foreground: 'c3e88d' },
    { token: 'string.escape', foreground: '89ddff' },
    { token: 'string.invalid', foreground: 'ff5370' },
    { token: 'number', foreground: 'f78c6c' },
    { token: 'number.duration', foreground: 'ffcb6b' },
    { token: 'variable.predefined', foreground: '82aaff', fontStyle: 'bold' },
    { token: 'variable', foreground: '82aaff' },
    { token: 'type.glob', foreground: 'ffcb6b', fontStyle: 'italic' },
    { token: 'operator', foreground: '89ddff' },
    { token: 'identifier', foreground: 'd6deeb' },
  ],
  colors: {
    'editor.background': '#161b22',
    'editor.foreground': '#d6deeb',
    'editorLineNumber.foreground': '#4b5563',
    'editorLineNumber.activeForeground': '#9ca3af',
    'editor.lineHighlightBackground': '#1f2630',
    'editorGutter.background': '#161b22',
  },
};

// Which editor documents the language server analyses: what server/engine/fileKinds.ts
// reads, by VS Code language id or by file name. Pure data (unit-tested).

/** Languages the server analyses when VS Code has classified the file. */
export const LANGUAGES = [
  'python',
  'javascript',
  'javascriptreact',
  'typescript',
  'typescriptreact',
  'dockerfile',
  'yaml',
  'json',
  'jsonc',
  // Text-like files where credentials and endpoints live (the Cloud layer).
  'dotenv',
  'properties',
  'ini',
  'shellscript',
  'terraform',
  'toml',
  'xml',
];

/** File names the engine reads whatever language VS Code gives them (see server/engine/fileKinds.ts). */
export const PATTERNS = [
  '**/*.{py,pyw,js,mjs,cjs,jsx,ts,mts,cts,tsx,yaml,yml,json}',
  '**/{Dockerfile,Containerfile,dockerfile,containerfile}',
  '**/*.{Dockerfile,Containerfile,dockerfile,containerfile}',
  '**/{Dockerfile,Containerfile}.*',
  '**/.env',
  '**/.env.*',
  '**/{.npmrc,.pypirc,.netrc,credentials}',
  '**/*.{env,tf,tfvars,hcl,properties,ini,cfg,conf,toml,sh,bash,zsh,ps1,xml,txt,config,pem,key,npmrc,pypirc,netrc}',
  '**/*.{go,java,rb,php,cs,kt,rs,md}',
];

export const DOCUMENT_SELECTOR: Array<{ scheme: 'file'; language: string } | { scheme: 'file'; pattern: string }> = [
  ...LANGUAGES.map((language) => ({ scheme: 'file' as const, language })),
  ...PATTERNS.map((pattern) => ({ scheme: 'file' as const, pattern })),
];


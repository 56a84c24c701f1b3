/** Real-looking fake secrets of every kind redaction knows (built from parts, so no scanner takes this file for a leak). */
export const repeat = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
export const FAKE = {
  aws: `AKIA${repeat('IOSFODNN7EXAMPL', 16)}`,
  awsSession: `ASIA${repeat('Q2WE3RT4', 16)}`,
  github: `ghp_${repeat('A1b2C3d4E5', 36)}`,
  githubApp: `ghs_${repeat('z9Y8x7W6', 36)}`,
  githubPat: `github_pat_${repeat('11AB_cd', 40)}`,
  gitlab: `glpat-${repeat('Xy-z_9', 20)}`,
  slack: `xoxb-${repeat('1234567890-', 30)}`,
  openai: `sk-${repeat('Ab3_x-', 40)}`,
  anthropic: `sk-ant-${repeat('api03Zq', 40)}`,
  google: `AIza${repeat('Sy_Bq-9', 35)}`,
  npm: `npm_${repeat('n0Pq', 36)}`,
  stripe: `sk_${'live'}_${repeat('51H8xQ2eZvKYlo2C', 24)}`,
  stripeRestricted: `rk_${'live'}_${repeat('51H8xQ2eZvKYlo2C', 24)}`,
  slackApp: `xapp-1-${repeat('A0B1C2D3E4', 11)}-${repeat('1234567890', 13)}-${repeat('abc123', 64)}`,
  slackWebhook: `https://hooks.slack.com/services/T${repeat('0A1B2C3D', 8)}/B${repeat('9Z8Y7X6W', 8)}/${repeat('Xq1Wz2Ev3Rc4', 24)}`,
  jwt: `eyJ${repeat('hbGciOiJ', 20)}.eyJ${repeat('zdWIiOiIx', 24)}.${repeat('SflKx_w-', 43)}`,
};

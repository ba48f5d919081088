/**
 * Syntax diagnostic codes (KS…). The table with the meaning of each code is at the top of
 * parser.ts; keep the two in step.
 */
export const KS = {
  UnexpectedCharacter: 'KS001',
  UnterminatedString: 'KS002',
  InvalidEscape: 'KS003',
  InvalidNumber: 'KS004',
  InvalidTypedLiteral: 'KS005',
  ExpectedToken: 'KS010',
  ExpectedExpression: 'KS011',
  ExpectedName: 'KS012',
  ExpectedQueryOperator: 'KS013',
  UnexpectedToken: 'KS014',
  ExpectedType: 'KS015',
  InvalidDynamic: 'KS016',
  ExpectedParameterValue: 'KS017',
  NestedTooDeeply: 'KS018',
  AssignmentInPredicate: 'KS019',
  Internal: 'KS099',
} as const;

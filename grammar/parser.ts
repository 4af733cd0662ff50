// The grammar of LANGUAGE.md as a Chevrotain CstParser: no embedded actions, error recovery on.
// src/syntax/toAst.ts walks the concrete syntax tree this produces.
import { CstParser, type IParserErrorMessageProvider, type IRecognitionException } from "chevrotain";
import {
  allTokens,
  As,
  Colon,
  Comma,
  Equals,
  Identifier,
  Input,
  LBracket,
  LCurly,
  Loss,
  LParen,
  Minus,
  Model,
  NumberLiteral,
  Optimizer,
  Output,
  Pipe,
  RBracket,
  RCurly,
  RParen,
  StatementBreak,
  Train,
} from "./lexer.js";
import { errorDetailProvider } from "./errorDetail.js";

/** Thrown out of the parse once `CnnParser.maxErrors` errors are saved. */
export class TooManyParseErrors extends Error {}

interface SaveErrorHook {
  SAVE_ERROR(this: CstParser, error: IRecognitionException): IRecognitionException;
}

export class CnnParser extends CstParser {
  /** Parsing stops after this many errors: each recovery costs time (near a millisecond in deep
   *  rule stacks), and no more than a few dozen are ever reported. */
  maxErrors = Infinity;

  constructor(errorMessageProvider: IParserErrorMessageProvider = errorDetailProvider) {
    super([...allTokens], { recoveryEnabled: true, errorMessageProvider });
    this.performSelfAnalysis();
  }

  // Chevrotain records every recognition error through SAVE_ERROR (not in its type declarations);
  // an exception that is not a recognition error passes through its recovery to the caller.
  protected SAVE_ERROR(error: IRecognitionException): IRecognitionException {
    const saved = (CstParser.prototype as unknown as SaveErrorHook).SAVE_ERROR.call(this, error);
    if (this.errors.length >= this.maxErrors) throw new TooManyParseErrors();
    return saved;
  }

  // file := model+
  public file = this.RULE("file", () => {
    this.AT_LEAST_ONE(() => this.SUBRULE(this.model));
  });

  // model := "model" Name "{" stmt* "}"; every statement is preceded by a StatementBreak
  public model = this.RULE("model", () => {
    this.CONSUME(Model);
    this.CONSUME(Identifier);
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.CONSUME(StatementBreak);
      this.SUBRULE(this.stmt);
    });
    this.CONSUME(RCurly);
  });

  public stmt = this.RULE("stmt", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputStmt) },
      { ALT: () => this.SUBRULE(this.outputStmt) },
      { ALT: () => this.SUBRULE(this.trainStmt) },
      { ALT: () => this.SUBRULE(this.bindingStmt) },
    ]);
  });

  // input := "input" Name ":" shape
  public inputStmt = this.RULE("inputStmt", () => {
    this.CONSUME(Input);
    this.CONSUME(Identifier);
    this.CONSUME(Colon);
    this.SUBRULE(this.shape);
  });

  // binding := Name [":" shape] "=" pipeline
  public bindingStmt = this.RULE("bindingStmt", () => {
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.CONSUME(Colon);
      this.SUBRULE(this.shape);
    });
    this.CONSUME(Equals);
    this.SUBRULE(this.pipeline);
  });

  // output := "output" Name [[":" shape] "=" pipeline]
  public outputStmt = this.RULE("outputStmt", () => {
    this.CONSUME(Output);
    this.CONSUME(Identifier);
    this.OPTION(() => {
      this.OPTION2(() => {
        this.CONSUME(Colon);
        this.SUBRULE(this.shape);
      });
      this.CONSUME(Equals);
      this.SUBRULE(this.pipeline);
    });
  });

  // train := "train" "{" ("loss" call | "optimizer" call)* "}"
  public trainStmt = this.RULE("trainStmt", () => {
    this.CONSUME(Train);
    this.CONSUME(LCurly);
    this.MANY(() => {
      this.CONSUME(StatementBreak);
      this.SUBRULE(this.trainEntry);
    });
    this.CONSUME(RCurly);
  });

  public trainEntry = this.RULE("trainEntry", () => {
    this.OR([{ ALT: () => this.CONSUME(Loss) }, { ALT: () => this.CONSUME(Optimizer) }]);
    this.SUBRULE(this.call);
  });

  // pipeline := source ("|>" call)*; a source is a name or a call, told apart in toAst
  public pipeline = this.RULE("pipeline", () => {
    this.SUBRULE(this.call);
    this.MANY(() => {
      this.CONSUME(Pipe);
      this.SUBRULE2(this.call);
    });
  });

  // call := Name ["(" [arg ("," arg)*] ")"] ["as" Name]
  public call = this.RULE("call", () => {
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.argList));
    this.OPTION2(() => {
      this.CONSUME(As);
      this.CONSUME2(Identifier);
    });
  });

  public argList = this.RULE("argList", () => {
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.arg) });
    this.CONSUME(RParen);
  });

  // arg := [Name ":"] value
  public arg = this.RULE("arg", () => {
    // two tokens of lookahead tell `kernel: 5` from a value that is a name, such as `same`
    this.OPTION(() => {
      this.CONSUME(Identifier);
      this.CONSUME(Colon);
    });
    this.SUBRULE(this.value);
  });

  // value := Number | Name | shape, plus a signed number and a call such as `step(every: 10)`
  public value = this.RULE("value", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.signedNumber) },
      { ALT: () => this.SUBRULE(this.nameOrCall) },
      { ALT: () => this.SUBRULE(this.shape) },
    ]);
  });

  public nameOrCall = this.RULE("nameOrCall", () => {
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.argList));
  });

  public signedNumber = this.RULE("signedNumber", () => {
    this.OPTION(() => this.CONSUME(Minus));
    this.CONSUME(NumberLiteral);
  });

  // shape := "[" Int ("," Int)* "]"; non-integers are reported by toAst, signs by the checker
  public shape = this.RULE("shape", () => {
    this.CONSUME(LBracket);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.signedNumber) });
    this.CONSUME(RBracket);
  });
}

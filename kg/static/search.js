/*
 * Entity search for the pages: the same normalisation and ranking as kg/search.py.
 *
 *   kgNormalise(text) -> string
 *   kgSearch(index, text, limit) -> [{iri, label, cls, detail, score}], best first
 *   kgResolve(index, text, classLabels) -> {iri: the one entity text names or null, found: kgSearch's list}
 *
 * `index` is the list that kg.search.export_index(engine) returns: [{iri, label, aliases, hidden,
 * cls, detail, rank}]. Read kg/search.py for the tiers and scores; tests/test_search.py runs this file
 * with node and checks that both languages agree.
 *
 * TRANSLIT is anyascii 0.3.3 (the library kg/search.py calls) for the Latin, Greek, Cyrillic
 * (Kazakh included) and punctuation blocks, kept where it differs from Unicode decomposition
 * without accents, except the Kazakh letters of kg.search.KAZAKH_ROMANISATION (g, k, n as the
 * graph's names have them); the test checks every entry against anyascii and those exceptions. Outside these blocks the pages
 * fall back to decomposition, so other scripts may normalise differently from Python.
 */
(function (root) {
  "use strict";

  var TRANSLIT = {"\u00a1":"!","\u00a2":"c","\u00a3":"GBP","\u00a4":"$","\u00a5":"Y","\u00a6":"|","\u00a7":"S","\u00a8":"\"",
        "\u00a9":"(C)","\u00ab":"<<","\u00ac":"!","\u00ae":"(R)","\u00af":"-","\u00b0":"deg","\u00b1":"+-",
        "\u00b4":"'","\u00b5":"u","\u00b6":"P","\u00b7":"-","\u00b8":",","\u00bb":">>","\u00bc":"1/4",
        "\u00bd":"1/2","\u00be":"3/4","\u00bf":"?","\u00c6":"Ae","\u00d0":"D","\u00d7":"*","\u00d8":"O",
        "\u00de":"Th","\u00df":"ss","\u00e6":"ae","\u00f0":"d","\u00f7":"/","\u00f8":"o","\u00fe":"th",
        "\u0110":"D","\u0111":"d","\u0126":"H","\u0127":"h","\u0131":"i","\u0138":"q","\u013f":"L","\u0140":"l",
        "\u0141":"L","\u0142":"l","\u0149":"'n","\u014a":"Ng","\u014b":"ng","\u0152":"Oe","\u0153":"oe",
        "\u0166":"T","\u0167":"t","\u0180":"b","\u0181":"B","\u0182":"B","\u0183":"b","\u0184":"6","\u0185":"6",
        "\u0186":"O","\u0187":"C","\u0188":"c","\u0189":"D","\u018a":"D","\u018b":"D","\u018c":"d","\u018d":"z",
        "\u018e":"E","\u018f":"E","\u0190":"E","\u0191":"F","\u0192":"f","\u0193":"G","\u0194":"G","\u0195":"hw",
        "\u0196":"I","\u0197":"I","\u0198":"K","\u0199":"k","\u019a":"l","\u019b":"l","\u019c":"W","\u019d":"N",
        "\u019e":"n","\u019f":"O","\u01a2":"Gh","\u01a3":"gh","\u01a4":"P","\u01a5":"p","\u01a6":"R","\u01a7":"2",
        "\u01a8":"2","\u01a9":"Sh","\u01aa":"sh","\u01ab":"t","\u01ac":"T","\u01ad":"t","\u01ae":"T","\u01b1":"U",
        "\u01b2":"V","\u01b3":"Y","\u01b4":"y","\u01b5":"Z","\u01b6":"z","\u01b7":"Zh","\u01b8":"`","\u01b9":"`",
        "\u01ba":"zh","\u01bb":"dz","\u01bc":"5","\u01bd":"5","\u01be":"ts","\u01bf":"w","\u01c0":"c",
        "\u01c1":"x","\u01c2":"qc","\u01c3":"q","\u01dd":"e","\u01e2":"Ae","\u01e3":"ae","\u01e4":"G",
        "\u01e5":"g","\u01ee":"Zh","\u01ef":"zh","\u01f6":"Hw","\u01f7":"W","\u01fc":"Ae","\u01fd":"ae",
        "\u01fe":"O","\u01ff":"o","\u021c":"Y","\u021d":"y","\u0220":"N","\u0221":"d","\u0222":"Ou","\u0223":"ou",
        "\u0224":"Z","\u0225":"z","\u0234":"l","\u0235":"n","\u0236":"t","\u0237":"j","\u0238":"db","\u0239":"qp",
        "\u023a":"A","\u023b":"C","\u023c":"c","\u023d":"L","\u023e":"T","\u023f":"s","\u0240":"z","\u0241":"'",
        "\u0242":"'","\u0243":"B","\u0244":"U","\u0245":"A","\u0246":"E","\u0247":"e","\u0248":"J","\u0249":"j",
        "\u024a":"Q","\u024b":"q","\u024c":"R","\u024d":"r","\u024e":"Y","\u024f":"y","\u02b1":"h","\u02b4":"r",
        "\u02b5":"r","\u02b6":"r","\u02b9":"'","\u02ba":"''","\u02bb":"`","\u02bc":"'","\u02bd":"`","\u02be":"'",
        "\u02bf":"`","\u02c0":"'","\u02c1":"`","\u02c2":"<","\u02c3":">","\u02c4":"^","\u02c5":"v","\u02c6":"^",
        "\u02c7":"^","\u02c8":"'","\u02c9":"-","\u02ca":"'","\u02cb":"`","\u02cc":",","\u02cd":"_","\u02ce":"`",
        "\u02cf":"'","\u02d0":":","\u02d1":"-","\u02d2":"'","\u02d3":"`","\u02d4":"+","\u02d5":"+","\u02d6":"+",
        "\u02d7":"-","\u02d8":"^","\u02d9":".","\u02da":".","\u02db":",","\u02dc":"~","\u02dd":"\"","\u02de":"r",
        "\u02df":"x","\u02e0":"g","\u02e4":"`","\u02e5":"5","\u02e6":"4","\u02e7":"3","\u02e8":"2","\u02e9":"1",
        "\u02ea":"3","\u02eb":"7","\u02ec":"_","\u02ed":"=","\u02ee":"''","\u02ef":"v","\u02f0":"^","\u02f1":"<",
        "\u02f2":">","\u02f3":".","\u02f4":"`","\u02f5":"``","\u02f6":"''","\u02f7":"~","\u02f8":":","\u02f9":"'",
        "\u02fa":"'","\u02fb":",","\u02fc":",","\u02fd":"_","\u02fe":"_","\u02ff":"<","\u034f":"","\u0363":"a",
        "\u0364":"e","\u0365":"i","\u0366":"o","\u0367":"u","\u0368":"c","\u0369":"d","\u036a":"h","\u036b":"m",
        "\u036c":"r","\u036d":"t","\u036e":"v","\u036f":"x","\u0370":"H","\u0371":"h","\u0372":"S","\u0373":"s",
        "\u0374":"'","\u0375":",","\u0376":"W","\u0377":"w","\u037a":"i","\u037b":"s","\u037c":"s.","\u037d":"s.",
        "\u037f":"J","\u0384":"'","\u0385":"\"'","\u0386":"A","\u0387":";","\u0388":"E","\u0389":"I","\u038a":"I",
        "\u038c":"O","\u038e":"Y","\u038f":"O","\u0390":"i","\u0391":"A","\u0392":"V","\u0393":"G","\u0394":"D",
        "\u0395":"E","\u0396":"Z","\u0397":"I","\u0398":"Th","\u0399":"I","\u039a":"K","\u039b":"L","\u039c":"M",
        "\u039d":"N","\u039e":"X","\u039f":"O","\u03a0":"P","\u03a1":"R","\u03a3":"S","\u03a4":"T","\u03a5":"Y",
        "\u03a6":"F","\u03a7":"Ch","\u03a8":"Ps","\u03a9":"O","\u03aa":"I","\u03ab":"Y","\u03ac":"a","\u03ad":"e",
        "\u03ae":"i","\u03af":"i","\u03b0":"y","\u03b1":"a","\u03b2":"v","\u03b3":"g","\u03b4":"d","\u03b5":"e",
        "\u03b6":"z","\u03b7":"i","\u03b8":"th","\u03b9":"i","\u03ba":"k","\u03bb":"l","\u03bc":"m","\u03bd":"n",
        "\u03be":"x","\u03bf":"o","\u03c0":"p","\u03c1":"r","\u03c2":"s","\u03c3":"s","\u03c4":"t","\u03c5":"y",
        "\u03c6":"f","\u03c7":"ch","\u03c8":"ps","\u03c9":"o","\u03ca":"i","\u03cb":"y","\u03cc":"o","\u03cd":"y",
        "\u03ce":"o","\u03cf":"&","\u03d0":"b","\u03d1":"th","\u03d2":"Y","\u03d3":"Y","\u03d4":"Y","\u03d5":"ph",
        "\u03d6":"p","\u03d7":"&","\u03d8":"Q","\u03d9":"q","\u03da":"St","\u03db":"st","\u03dc":"W","\u03dd":"w",
        "\u03de":"Q","\u03df":"q","\u03e0":"S","\u03e1":"s","\u03e2":"Sh","\u03e3":"sh","\u03e4":"F","\u03e5":"f",
        "\u03e6":"X","\u03e7":"x","\u03e8":"H","\u03e9":"h","\u03ea":"J","\u03eb":"j","\u03ec":"C","\u03ed":"c",
        "\u03ee":"Ti","\u03ef":"ti","\u03f0":"k","\u03f1":"r","\u03f2":"s","\u03f3":"j","\u03f4":"Th",
        "\u03f5":"e","\u03f6":"e","\u03f7":"Sh","\u03f8":"sh","\u03f9":"S","\u03fa":"S","\u03fb":"s",
        "\u03fc":"r.","\u03fd":"S","\u03fe":"S.","\u03ff":"S.","\u0400":"E","\u0401":"E","\u0402":"Dj",
        "\u0403":"G","\u0404":"Ie","\u0405":"Dz","\u0406":"I","\u0407":"I","\u0408":"J","\u0409":"Lj",
        "\u040a":"Nj","\u040b":"C","\u040c":"K","\u040d":"I","\u040e":"U","\u040f":"Dzh","\u0410":"A",
        "\u0411":"B","\u0412":"V","\u0413":"G","\u0414":"D","\u0415":"E","\u0416":"Zh","\u0417":"Z","\u0418":"I",
        "\u0419":"Y","\u041a":"K","\u041b":"L","\u041c":"M","\u041d":"N","\u041e":"O","\u041f":"P","\u0420":"R",
        "\u0421":"S","\u0422":"T","\u0423":"U","\u0424":"F","\u0425":"Kh","\u0426":"Ts","\u0427":"Ch",
        "\u0428":"Sh","\u0429":"Shch","\u042a":"'","\u042b":"Y","\u042c":"'","\u042d":"E","\u042e":"Yu",
        "\u042f":"Ya","\u0430":"a","\u0431":"b","\u0432":"v","\u0433":"g","\u0434":"d","\u0435":"e","\u0436":"zh",
        "\u0437":"z","\u0438":"i","\u0439":"y","\u043a":"k","\u043b":"l","\u043c":"m","\u043d":"n","\u043e":"o",
        "\u043f":"p","\u0440":"r","\u0441":"s","\u0442":"t","\u0443":"u","\u0444":"f","\u0445":"kh","\u0446":"ts",
        "\u0447":"ch","\u0448":"sh","\u0449":"shch","\u044a":"'","\u044b":"y","\u044c":"'","\u044d":"e",
        "\u044e":"yu","\u044f":"ya","\u0450":"e","\u0451":"e","\u0452":"dj","\u0453":"g","\u0454":"ie",
        "\u0455":"dz","\u0456":"i","\u0457":"i","\u0458":"j","\u0459":"lj","\u045a":"nj","\u045b":"c",
        "\u045c":"k","\u045d":"i","\u045e":"u","\u045f":"dzh","\u0460":"O","\u0461":"o","\u0462":"E","\u0463":"e",
        "\u0464":"Ie","\u0465":"ie","\u0466":"E","\u0467":"e","\u0468":"Ie","\u0469":"ie","\u046a":"O",
        "\u046b":"o","\u046c":"Io","\u046d":"io","\u046e":"Ks","\u046f":"ks","\u0470":"Ps","\u0471":"ps",
        "\u0472":"F","\u0473":"f","\u0474":"Y","\u0475":"y","\u0476":"Y","\u0477":"y","\u0478":"U","\u0479":"u",
        "\u047a":"O","\u047b":"o","\u047c":"O","\u047d":"o","\u047e":"Ot","\u047f":"ot","\u0480":"Q","\u0481":"q",
        "\u0482":"1000","\u0483":".","\u0487":".","\u0488":"100000","\u0489":"1000000","\u048a":"Jh",
        "\u048b":"jh","\u048c":"'","\u048d":"'","\u048e":"Rh","\u048f":"rh","\u0490":"G","\u0491":"g",
        "\u0492":"G","\u0493":"g","\u0494":"Gh","\u0495":"gh","\u0496":"J","\u0497":"j","\u0498":"Z",
        "\u0499":"z","\u049a":"K","\u049b":"k","\u049c":"G","\u049d":"g","\u049e":"Q","\u049f":"q","\u04a0":"Q",
        "\u04a1":"q","\u04a2":"N","\u04a3":"n","\u04a4":"Ng","\u04a5":"ng","\u04a6":"Ph","\u04a7":"ph",
        "\u04a8":"W","\u04a9":"w","\u04aa":"S","\u04ab":"s","\u04ac":"Th","\u04ad":"th","\u04ae":"U","\u04af":"u",
        "\u04b0":"U","\u04b1":"u","\u04b2":"H","\u04b3":"h","\u04b4":"Ts","\u04b5":"ts","\u04b6":"J","\u04b7":"j",
        "\u04b8":"C","\u04b9":"c","\u04ba":"H","\u04bb":"h","\u04bc":"Ch","\u04bd":"ch","\u04be":"Ch",
        "\u04bf":"ch","\u04c0":"H","\u04c1":"Gi","\u04c2":"gi","\u04c3":"Q","\u04c4":"q","\u04c5":"Lh",
        "\u04c6":"lh","\u04c7":"Ng","\u04c8":"ng","\u04c9":"Nh","\u04ca":"nh","\u04cb":"Dzh","\u04cc":"dzh",
        "\u04cd":"Mh","\u04ce":"mh","\u04cf":"h","\u04d0":"A","\u04d1":"a","\u04d2":"A","\u04d3":"a",
        "\u04d4":"Ae","\u04d5":"ae","\u04d6":"E","\u04d7":"e","\u04d8":"A","\u04d9":"a","\u04da":"E","\u04db":"e",
        "\u04dc":"Dzh","\u04dd":"dzh","\u04de":"J","\u04df":"j","\u04e0":"Dz","\u04e1":"dz","\u04e2":"I",
        "\u04e3":"i","\u04e4":"I","\u04e5":"i","\u04e6":"O","\u04e7":"o","\u04e8":"O","\u04e9":"o","\u04ea":"Y",
        "\u04eb":"y","\u04ec":"A","\u04ed":"a","\u04ee":"U","\u04ef":"u","\u04f0":"U","\u04f1":"u","\u04f2":"U",
        "\u04f3":"u","\u04f4":"Tsh","\u04f5":"tsh","\u04f6":"Gh","\u04f7":"gh","\u04f8":"Y","\u04f9":"y",
        "\u04fa":"Xh","\u04fb":"xh","\u04fc":"X","\u04fd":"x","\u04fe":"H","\u04ff":"h","\u0500":"D","\u0501":"d",
        "\u0502":"Dj","\u0503":"dj","\u0504":"Zj","\u0505":"zj","\u0506":"Dz","\u0507":"dz","\u0508":"Lj",
        "\u0509":"lj","\u050a":"Nj","\u050b":"nj","\u050c":"Sj","\u050d":"sj","\u050e":"Tj","\u050f":"tj",
        "\u0510":"A","\u0511":"a","\u0512":"L","\u0513":"l","\u0514":"Lkh","\u0515":"lkh","\u0516":"Rkh",
        "\u0517":"rkh","\u0518":"A","\u0519":"a","\u051a":"Q","\u051b":"q","\u051c":"W","\u051d":"w","\u051e":"Q",
        "\u051f":"q","\u0520":"L","\u0521":"l","\u0522":"N","\u0523":"n","\u0524":"Ph","\u0525":"ph","\u0526":"'",
        "\u0527":"'","\u0528":"Ny","\u0529":"ny","\u052a":"Dzh","\u052b":"dzh","\u052c":"Dch","\u052d":"dch",
        "\u052e":"L","\u052f":"l","\u1e9a":"a'","\u1e9c":"s.","\u1e9d":"s.","\u1e9e":"Ss","\u1e9f":"d",
        "\u1efa":"Ll","\u1efb":"ll","\u1efc":"V","\u1efd":"v","\u1efe":"Y","\u1eff":"y","\u2010":"-","\u2011":"-",
        "\u2012":"-","\u2013":"-","\u2014":"-","\u2015":"-","\u2016":"||","\u2017":"_","\u2018":"'","\u2019":"'",
        "\u201a":"'","\u201b":"'","\u201c":"\"","\u201d":"\"","\u201e":"\"","\u201f":"\"","\u2020":"+",
        "\u2021":"++","\u2022":"*","\u2023":"*","\u2027":"-","\u2028":" ","\u2029":" ","\u2030":"%0",
        "\u2031":"%00","\u2032":"'","\u2033":"''","\u2034":"'''","\u2035":"`","\u2036":"``","\u2037":"```",
        "\u2038":"^","\u2039":"<","\u203a":">","\u203b":"*","\u203d":"!?","\u203e":"-","\u203f":"_","\u2040":"-",
        "\u2041":"^","\u2042":"***","\u2043":"-","\u2044":"/","\u2045":"[","\u2046":"]","\u204a":"&","\u204b":"P",
        "\u204c":"<","\u204d":">","\u204e":"*","\u204f":";","\u2050":"_","\u2051":"**","\u2052":"./.",
        "\u2053":"~","\u2054":"_","\u2055":"*","\u2056":":","\u2057":"''''","\u2058":":","\u2059":"*",
        "\u205a":":","\u205b":":","\u205c":"+","\u205d":":","\u205e":":","\u2103":"C","\u2104":"CL","\u2107":"E",
        "\u2108":"g","\u2109":"F","\u210f":"h","\u2114":"#","\u2117":"(P)","\u2118":"p","\u211e":"Rx",
        "\u211f":"R","\u2123":"V","\u2125":"oz","\u2126":"Ohm","\u2127":"Mho","\u2129":"i","\u212e":"e",
        "\u2132":"F","\u2135":"a","\u2136":"b","\u2137":"g","\u2138":"d","\u213a":"Q","\u213c":"p","\u213d":"g",
        "\u213e":"G","\u213f":"P","\u2140":"S","\u2141":"G","\u2142":"L","\u2143":"L","\u2144":"Y","\u214a":"PL",
        "\u214b":"&","\u214c":"P","\u214d":"A/S","\u214e":"f","\u214f":"Sh"};
  var APOSTROPHES = /['`\u00b4\u02b9\u02bb\u02bc\u02bd\u2018\u2019\u201b\u2032.]/g;
  var KIND_LABEL = 0, KIND_ALIAS = 1, KIND_TITLE = 2, KIND_HIDDEN = 3;
  var FUZZY_MIN = 800;
  var RANK_ENTITY = 2, RANK_WORK = 1, RANK_PENALTY = 25;
  var MARGIN = {0: 1, 1: 1, 4: 30}, FUZZY_TAKE = 850;  // as kg.search
  var FORM_PENALTY = 400, PERSON_NAMESPACE = "https://w3id.org/kzkg/id/person/";  // as kg.search_index
  var PLACE_NAMESPACE = "https://w3id.org/kzkg/id/place/";  // as kg.search_index
  var WORK_NAMESPACE = "https://w3id.org/kzkg/id/work/";  // as kg.search_index
  var PLACE_WORDS = new Set("region province oblast district city town village county".split(" "));  // kg.search_text
  var ARTICLES = new Set(["the", "a", "an"]);
  var ROLE_WORDS = new Set(("president vice chair chairman chairwoman chairperson secretary minister deputy director head chief " +
    "commander general colonel major captain lieutenant sergeant officer ambassador envoy spokesman " +
    "spokeswoman spokesperson prosecutor judge mayor akim governor senator speaker mp leader founder emir " +
    "imam mufti sheikh cleric preacher professor dr mr mrs ms sir prime premier king queen prince " +
    "sociologist expert analyst scholar researcher journalist reporter editor author lawyer advocate " +
    "activist psychologist theologian historian economist official adviser advisor representative").split(" "));
  var JOINED = /(?:^|\s)(?:and|or|with|&)(?:\s|$)|[,;]/i;
  var FOOTNOTE = /(?<=[\p{L}]{2})[0-9]{1,3}$/u;
  // an apostrophe s after a word, a closing bracket or an abbreviation's full stop ("RFE)'s", "U.S.'s")
  var POSSESSIVE = /(?<=[\p{L}\p{N}_).])['`\u00b4\u02bc\u2019\u2032]s?(?=[^\p{L}\p{N}_]*$)/u;
  var STOPWORDS = new Set("a an and at by for from in of on or the to with".split(" "));
  // kg.search_text.demonyms (kg/data/demonyms.tsv): a demonym in its search form -> its place's name
  var DEMONYMS = {"afghan": "afghanistan", "algerian": "algeria", "american": "united states",
    "azerbaijani": "azerbaijan", "belarusian": "belarus", "british": "united kingdom", "caucasian": "caucasus",
    "central asian": "central asia", "chechen": "chechnya", "chechens": "chechnya", "chinese": "china",
    "dagestani": "dagestan", "egyptian": "egypt", "european": "europe", "ferghana": "ferghana valley",
    "french": "france", "georgian": "georgia", "german": "germany", "indian": "india", "iranian": "iran",
    "iraqi": "iraq", "israeli": "israel", "jordanian": "jordan", "kazakh": "kazakhstan", "kazakhs": "kazakhstan",
    "kazakhstani": "kazakhstan", "kazakhstanis": "kazakhstan", "kyrgyz": "kyrgyzstan", "kyrgyzstani": "kyrgyzstan",
    "middle eastern": "middle east", "mongolian": "mongolia", "north caucasian": "caucasus", "pakistani": "pakistan",
    "russian": "russia", "saudi": "saudi arabia", "south asian": "south asia", "southeast asian": "southeast asia",
    "soviet": "soviet union", "syrian": "syria", "tajik": "tajikistan", "tajikistani": "tajikistan",
    "turkish": "turkey", "turkmen": "turkmenistan", "uk": "united kingdom", "ukrainian": "ukraine",
    "us": "united states", "uzbek": "uzbekistan", "uzbekistani": "uzbekistan", "xinjiangs": "xinjiang"};
  var MONTHS = new Set("january february march april may june july august september october november december".split(" "));

  // kg.search.singular: the regular English plural endings only
  function singular(word) {
    var n = word.length;
    if (n > 4 && word.endsWith("ies")) return word.slice(0, -3) + "y";
    if (n > 4 && (word.endsWith("ches") || word.endsWith("shes") || word.endsWith("sses") || word.endsWith("xes"))) {
      return word.slice(0, -2);
    }
    if (n > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) return word.slice(0, -1);
    return word;
  }

  function kgNormalise(text) {
    var out = "";
    var chars = Array.from(String(text).normalize("NFC"));
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (Object.prototype.hasOwnProperty.call(TRANSLIT, c)) out += TRANSLIT[c];
      else out += c.normalize("NFKD").replace(/\p{M}/gu, "");
    }
    out = out.toLowerCase().replace(APOSTROPHES, "");
    return out.replace(/[^a-z0-9]+/g, " ").trim();
  }

  var BRACKETS = /\s*\(([^()]*)\)/g;
  var ACRONYM = /^[A-Z][A-Za-z0-9&-]{1,11}$/;
  var YEAR = /^\d{4}[a-z]?$/;

  function letters(text) {
    var n = 0;
    for (var c of text) if (/\p{L}/u.test(c)) n++;
    return n;
  }

  var MAIN_TITLE = /^(.+?)(?::\s| [-\u2013\u2014] )/, MAIN_TITLE_KEY = 2;  // kg.search_text._MAIN_TITLE, MAIN_TITLE

  /* kg.search_text.label_keys: with work, the main title too (before a colon or spaced dash, two words at least) */
  function labelKeys(label, work) {
    var keys = [kgNormalise(label)];
    var bare = label.replace(BRACKETS, " ");
    if (bare !== label) {
      var inners = [], m, re = /\s*\(([^()]*)\)/g;
      while ((m = re.exec(label)) !== null) inners.push(m[1]);
      // "Shaumetov (2018)" is a citation: its bare form names the author, not the work
      if (!inners.every(function (x) { return YEAR.test(x.trim()); })) keys.push(kgNormalise(bare));
      re = /\s*\(([^()]*)\)/g;
      while ((m = re.exec(label)) !== null) {
        var inner = m[1];
        var upper = 0;
        for (var c of inner) if (c !== c.toLowerCase() && c === c.toUpperCase()) upper++;
        if (ACRONYM.test(inner.trim()) && upper >= 2) keys.push(kgNormalise(inner));
      }
    }
    if (bare.indexOf("/") >= 0) {
      bare.split("/").forEach(function (part) { if (letters(part) >= 2) keys.push(kgNormalise(part)); });
    }
    var out = [], seen = {};
    keys.forEach(function (key, i) {
      if (key && !seen[key]) { seen[key] = true; out.push([key, i > 0]); }
    });
    var main = work ? MAIN_TITLE.exec(label) : null;
    if (main && kgNormalise(main[1]).split(" ").filter(Boolean).length >= 2 && !seen[kgNormalise(main[1])]) {
      out.push([kgNormalise(main[1]), MAIN_TITLE_KEY]);  // matched as an exact name only
    }
    return out;
  }

  var MAX_FORMS = 200;  // kg.search_text._MAX_FORMS: each possessive doubles the forms of a text
  var LOCATOR = / (?:in|of|at) (?:the )?/g, SEPARATOR = /(?:,| [-\u2013\u2014]) /g, TRAILING_BRACKET = /^(.*\S)\s*\(([^()]+)\)$/;
  var isUpper = function (c) { return !!c && c !== c.toLowerCase() && c === c.toUpperCase(); };

  /* kg.search_text._qualified: [name, place or owner] of "NAME (Q)", "NAME, Q", "NAME - Q", "NAME in|of|at
   * [the] Q" (the last three such words) and, with lead, "Q NAME" (Q one or two words of letters, digits and hyphens); with last, the last
   * place after the name only */
  function qualified(raw, last, lead) {
    var out = [], located = [], before = [], bracket = TRAILING_BRACKET.exec(raw), m, apart = null;
    SEPARATOR.lastIndex = 0;
    while ((m = SEPARATOR.exec(raw)) !== null) apart = {start: m.index, end: m.index + m[0].length};
    if (bracket) {
      out.push([bracket[1], bracket[2]]);
    } else if (apart && isUpper(Array.from(raw.slice(apart.end))[0]) && apart.start > 0) {
      out.push([raw.slice(0, apart.start), raw.slice(apart.end)]);
    }
    if (out.length && last) return out;
    LOCATOR.lastIndex = 0;
    while ((m = LOCATOR.exec(raw)) !== null) {
      var end = m.index + m[0].length;
      if (m.index > 0 && isUpper(Array.from(raw.slice(end))[0])) located.push([raw.slice(0, m.index), raw.slice(end)]);
    }
    var words = raw.split(" ");
    [1, 2].forEach(function (k) {
      if (last || !lead || words.length <= k) return;
      // the name capitalised, or any name after a demonym ("Uzbek 114 telephone hotline")
      if (words.slice(0, k).every(function (w) { return isUpper(Array.from(w)[0]) && oneWord(w); }) &&
          (isUpper(Array.from(words[k])[0]) ||
           Object.prototype.hasOwnProperty.call(DEMONYMS, kgNormalise(words.slice(0, k).join(" "))))) {
        before.push([words.slice(k).join(" "), words.slice(0, k).join(" ")]);
      }
    });
    return out.concat(located.slice(last ? -1 : -3), before);
  }

  /* kg.search_text._one_word: letters and digits, in parts joined by - . / & ("Al-Azhar", "U.S.", "RFE/RL") */
  function oneWord(word) {
    return word.replace(/\.$/, "").split(/[-.\/&]/).every(function (p) { return /^[\p{L}\p{N}]+$/u.test(p); });
  }

  /* kg.search_text._initials: the initials of a name's words as written, with and without its stop words */
  function initialsOf(name) {
    var words = name.split(" ").map(kgNormalise).filter(Boolean);
    var all = words.map(function (w) { return w[0]; }).join("");
    var kept = words.filter(function (w) { return !STOPWORDS.has(w); }).map(function (w) { return w[0]; }).join("");
    return [all, kept];
  }

  /* kg.search_text._place: a place or owner in its search form, without a leading article or an acronym in brackets */
  function placeKey(text) {
    var bare = text.replace(BRACKETS, function (all, inner) { return ACRONYM.test(inner.trim()) ? " " : all; });
    var words = (kgNormalise(bare) || kgNormalise(text)).split(" ").filter(Boolean);
    if (words.length > 1 && ARTICLES.has(words[0])) words = words.slice(1);
    return words.join(" ");
  }

  var CITATION = /^[A-Z][\p{L}\p{N}_.'\u2019&-]*(?: (?:and|&) [A-Z][\p{L}\p{N}_.'\u2019-]*| et al\.?)?,? [0-9]{4}[a-z]?$/u;
  var MODIFIER = /^\S+-[a-z]+$/;  // kg.search_text._MODIFIER: "Uighur-led", "Astana-based"

  /* kg.search_text._qualifier_kind: acronym, citation (an author and year, not a month), modifier, or within:PLACE */
  function qualifierKind(name, where) {
    if (ACRONYM.test(where) && initialsOf(name).indexOf(kgNormalise(where)) >= 0) return "acronym";
    if (CITATION.test(where) && !MONTHS.has(kgNormalise(where).split(" ")[0])) return "citation";
    if (MODIFIER.test(where)) return "modifier";
    return "within:" + placeKey(where);
  }

  /* kg.search_text.name_forms: [normalised name, form] of the names a text holds ("The IMU’s" -> "imu") */
  function nameForms(text) {
    text = String(text).split(/\s+/).filter(Boolean).join(" ");
    var seen = new Set([kgNormalise(text)]), out = [], todo = [[text, ""]];
    var whole = new Set([text]);  // the text, and it without its last possessive: a place or owner may come before them
    while (todo.length && out.length < MAX_FORMS) {
      var item = todo.shift(), raw = item[0], kind = item[1], found = [];
      var bare = raw.replace(POSSESSIVE, ""), words = raw.split(" "), owner = -1;
      for (var i = 0; i < words.length - 1; i++) if (POSSESSIVE.test(words[i])) { owner = i; break; }
      if (bare !== raw) {
        found.push([bare, "possessive"]);
        if (whole.has(raw)) whole.add(bare);
      } else if (owner >= 0) {
        var before = words.slice(0, owner + 1).join(" ").replace(POSSESSIVE, ""), after = words.slice(owner + 1).join(" ");
        found.push([before + " " + after, "possessive"]);
        if (whole.has(raw)) whole.add(before + " " + after);  // the text as a label says it
        found.push([after + " of " + before, "possessive"]);
        if (!ARTICLES.has(words[0].toLowerCase())) found.push([after + " of the " + before, "possessive"]);
        found.push([after, "within:" + placeKey(before)]);
      } else if (FOOTNOTE.test(words[words.length - 1])) {  // "Aktobe18": a footnote's number glued to the last word
        found.push([words.slice(0, -1).concat([words[words.length - 1].replace(FOOTNOTE, "")]).join(" "), "footnote"]);
      } else {
        if (words.length > 1 && ARTICLES.has(words[0].toLowerCase())) found.push([words.slice(1).join(" "), "article"]);
        var last = -1;
        for (var j = 0; j < words.length - 1; j++) if (ROLE_WORDS.has(singular(kgNormalise(words[j])))) last = j;
        // one title before the name; the name is any run of capitalised words ending the text, the longest first
        if (last >= 0 && !JOINED.test(words.slice(0, last).join(" "))) {
          for (var k = last + 1; k < words.length; k++) {
            if (isUpper(Array.from(words[k])[0])) found.push([words.slice(k).join(" "), "role"]);
          }
        }
        // a name has three places or owners at most ("X, Cairo, Egypt")
        // a place or owner before a name only in the text itself, or after its article ("The Cairo ...")
        var lead = kind === "" || kind === "article" || kind === "citation" || kind === "possessive" && whole.has(raw);
        (kind.split("|").length < 3 ? qualified(raw, kind.indexOf("within:") === 0, lead) : []).forEach(function (q) {  // "Al-Azhar University in Cairo", "... (NSC)"
          found.push([q[0], qualifierKind(q[0], q[1])]);
        });
      }
      found.forEach(function (f) {
        var form = f[1], within = form.indexOf("within:") === 0;
        // a role names a person, a place or owner a thing: never both
        if (kind.indexOf("within:") === 0 && form === "role" || kind === "role" && within) return;
        if (kind.indexOf("within:") === 0) form = within ? kind + "|" + form.slice(7) : kind;  // a form keeps its place
        within = form.indexOf("within:") === 0;
        var key = kgNormalise(f[0]), mark = within ? key + "\u0000" + form : key;
        if (key && !seen.has(key) && !seen.has(mark) && !/[:|]$/.test(form) && out.length < MAX_FORMS) {
          seen.add(mark); out.push([key, form]); todo.push([f[0], form]);
        }
      });
    }
    return out;
  }

  function lcs(a, b) {
    var prev = new Array(b.length + 1).fill(0), cur = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      for (var j = 1; j <= b.length; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      var t = prev; prev = cur; cur = t;
    }
    return prev[b.length];
  }

  function ratio(a, b) {
    var total = a.length + b.length;
    if (!total) return 1000;
    var distance = total - 2 * lcs(a, b);
    return Math.floor(((1000 * (total - distance)) * 2 + total) / (2 * total));
  }

  function prepare(index) {
    if (index.__kgKeys) return index.__kgKeys;
    var keys = [], exact = {};
    index.forEach(function (entry) {
      var names = [[entry.label, KIND_LABEL]];
      (entry.aliases || []).forEach(function (a) { names.push([a, KIND_ALIAS]); });
      (entry.titles || []).forEach(function (n) { names.push([n, KIND_TITLE]); });
      (entry.hidden || []).forEach(function (h) { names.push([h, KIND_HIDDEN]); });
      // a cited work or document, or a publication, answers to its main title too
      var work = entry.rank === RANK_WORK || entry.iri.indexOf(WORK_NAMESPACE) === 0;
      names.forEach(function (n) {
        labelKeys(n[0], work).forEach(function (kd) {
          (exact[kd[0]] = exact[kd[0]] || []).push(keys.length);
          keys.push({key: kd[0], entry: entry, kind: n[1], derived: kd[1], text: n[0], words: kd[0].split(" "),
                     rank: entry.rank == null ? RANK_ENTITY : entry.rank});
        });
      });
    });
    // a word that is a whole name by itself ("Edwards", "ISIS") is a name, not a plural
    var proper = new Set();
    keys.forEach(function (k) { if (k.key.indexOf(" ") < 0) proper.add(k.key); });
    var sing = function (w) { return proper.has(w) ? w : singular(w); };
    var fold = function (key) { return key.split(" ").map(sing).join(" "); };
    var compact = {}, folded = {}, byIri = {};
    keys.forEach(function (k, i) {
      (byIri[k.entry.iri] = byIri[k.entry.iri] || []).push(i);
      var c = k.key.replace(/ /g, ""); (compact[c] = compact[c] || []).push(i);
      var f = fold(k.key); (folded[f] = folded[f] || []).push(i);
      k.folded = new Set(k.words.map(sing));
    });
    var prepared = {keys: keys, exact: exact, compact: compact, folded: folded, sing: sing, fold: fold, byIri: byIri};
    try { Object.defineProperty(index, "__kgKeys", {value: prepared, enumerable: false}); } catch (e) { /* frozen */ }
    return prepared;
  }

  /* kg.search_index.SearchIndex._form_scores: an exact match of a form falls to tier 1 less FORM_PENALTY */
  function formScores(prepared, forms, needle) {
    var scores = new Map();
    if (!prepared.vocabulary) {
      prepared.vocabulary = new Set();
      prepared.keys.forEach(function (k) { k.words.forEach(function (w) { prepared.vocabulary.add(w); }); });
    }
    var glued = needle.split(" ").some(function (w) { return !/^[a-z]*$/.test(w) && prepared.vocabulary.has(w); });
    forms.forEach(function (f) {
      if (f[1] === "footnote" && glued) return;
      var within = f[1].indexOf("within:") === 0;
      // a name without its footnote, place or owner counts only as an exact name
      var found = f[1] === "footnote" || within ? exactScores(prepared, f[0]) : scored(prepared, f[0], false);
      var places = within ? f[1].slice(7).split("|") : [];
      // "the KNB's Aktobe branch": a label "Aktobe branch of the National Security Committee"
      places.forEach(function (place) {
        ownedKeys(prepared, f[0], namedBy(prepared, place), place).forEach(function (key) {
          exactScores(prepared, key).forEach(function (score, j) { if (!found.has(j)) found.set(j, score); });
        });
      });
      found.forEach(function (score, i) {
        if (f[1] === "role" && prepared.keys[i].entry.iri.indexOf(PERSON_NAMESPACE) !== 0) return;
        if (within && !places.every(function (p) { return holds(prepared, prepared.keys[i].entry, f[0], p); })) return;
        if (score >= 4 * 2000) score = 4 * 2000 + score % 2000 - FORM_PENALTY - (score < 5 * 2000 ? 50 : 0);
        scores.set(i, Math.max(scores.has(i) ? scores.get(i) : 0, score));
      });
    });
    return scores;
  }

  /* kg.search_index.SearchIndex._named: the IRIs a place or owner names, exactly or as a place's name
   * with, or with another, last word of PLACE_WORDS ("mangystau", "mangystau oblast" for "Mangystau Region") */
  function namedBy(prepared, place) {
    if (!prepared.placeStems) {
      prepared.placeStems = {};
      var add = function (key, iri) { (prepared.placeStems[key] = prepared.placeStems[key] || new Set()).add(iri); };
      Object.keys(prepared.byIri).forEach(function (iri) {
        if (iri.indexOf(PLACE_NAMESPACE) !== 0) return;
        prepared.byIri[iri].forEach(function (i) {
          var key = prepared.keys[i].key, at = key.lastIndexOf(" ");
          if (at > 0 && PLACE_WORDS.has(singular(key.slice(at + 1)))) add(key.slice(0, at), iri);
        });
      });
    }
    var named = new Set(), at = place.lastIndexOf(" ");
    exactScores(prepared, place).forEach(function (_, j) { named.add(prepared.keys[j].entry.iri); });
    if (Object.prototype.hasOwnProperty.call(DEMONYMS, place)) {  // "Kazakh": the places named Kazakhstan
      (prepared.exact[DEMONYMS[place]] || []).forEach(function (j) {
        if (prepared.keys[j].entry.iri.indexOf(PLACE_NAMESPACE) === 0) named.add(prepared.keys[j].entry.iri);
      });
    }
    // "Almaty Region" is the region, not also the city whose alias is "Almaty City"
    if (Array.from(named).some(function (x) { return x.indexOf(PLACE_NAMESPACE) === 0; })) return named;
    (prepared.placeStems[place] || []).forEach(function (iri) { named.add(iri); });
    if (at > 0 && PLACE_WORDS.has(singular(place.slice(at + 1)))) {
      (prepared.placeStems[place.slice(0, at)] || []).forEach(function (iri) { named.add(iri); });
    }
    return named;
  }

  /* kg.search_index.SearchIndex._owned_keys: the labels a name written with its place or owner may have */
  function ownedKeys(prepared, form, named, place) {
    var keys = new Set();
    named.forEach(function (iri) { (prepared.byIri[iri] || []).forEach(function (i) { keys.add(prepared.keys[i].key); }); });
    if (Object.prototype.hasOwnProperty.call(DEMONYMS, place)) keys.add(place);
    var out = [];
    Array.from(keys).sort(codepointCmp).forEach(function (key) {
      out.push(form + " of " + key, form + " of the " + key, key + " " + form);
    });
    return out;
  }

  /* kg.search_index.SearchIndex._holds: the place holds the entry, or a name of the entry holds the place's
   * words (or its demonym's place's), or the name with it */
  function holds(prepared, entry, form, place) {
    var named = namedBy(prepared, place);
    if (isWithin(entry, [named])) return true;
    var said = [place, Object.prototype.hasOwnProperty.call(DEMONYMS, place) ? DEMONYMS[place] : place];
    // a title that holds the place: "... China's Campaign of Repression against ..."
    if (said.some(function (p) {
      var words = p.split(" ").map(prepared.sing);
      return prepared.byIri[entry.iri].some(function (i) {
        return words.every(function (w) { return prepared.keys[i].folded.has(w); });
      });
    })) return true;
    if (ownedKeys(prepared, form, named, place).some(function (key) {
      return Array.from(exactScores(prepared, key).keys()).some(function (j) { return prepared.keys[j].entry.iri === entry.iri; });
    })) return true;
    return named.size === 0 && foreign(prepared, entry, place);
  }

  /* kg.search_index.SearchIndex._foreign: a country of the demonyms' table that no entity names may hold
   * an entity the graph puts in no country of that table */
  function foreign(prepared, entry, place) {
    var countries = new Set(Object.keys(DEMONYMS).map(function (d) { return DEMONYMS[d]; }));
    if (!countries.has(Object.prototype.hasOwnProperty.call(DEMONYMS, place) ? DEMONYMS[place] : place)) return false;
    return ![entry.iri].concat(entry.within || []).some(function (x) {
      return x.indexOf(PLACE_NAMESPACE) === 0 && (prepared.byIri[x] || []).some(function (i) { return countries.has(prepared.keys[i].key); });
    });
  }

  /* kg.search_index.SearchIndex._within: each of places (sets of IRIs) holds the entry or what it is in */
  function isWithin(entry, places) {
    var inside = entry.within || [];
    return places.every(function (named) {
      return named.has(entry.iri) || inside.some(function (x) { return named.has(x); });
    });
  }

  function scored(prepared, needle, fuzzy) {
    var scores = exactScores(prepared, needle);
    wordScores(prepared, needle, scores, fuzzy);
    return scores;
  }

  function exactScores(prepared, needle) {
    var scores = new Map();
    (prepared.exact[needle] || []).forEach(function (i) {
      var k = prepared.keys[i];
      scores.set(i, (5 - (k.derived ? 1 : 0)) * 2000 + 1000 - 100 * k.kind - RANK_PENALTY * (2 - k.rank));
    });
    // "Nur Sultan" / "Nursultan", "Aktobe attack" / "Aktobe attacks"
    var near = (prepared.compact[needle.replace(/ /g, "")] || []).concat(prepared.folded[prepared.fold(needle)] || []);
    near.forEach(function (i) {
      var k = prepared.keys[i];
      if (!scores.has(i)) scores.set(i, 4 * 2000 + 1000 - 100 * k.kind - RANK_PENALTY * (2 - k.rank));
    });
    return scores;
  }

  function wordScores(prepared, needle, scores, fuzzy) {
    var qwords = needle ? needle.split(" ") : [];
    if (!qwords.length) return scores;
    var distinct = qwords.map(prepared.sing);
    prepared.keys.forEach(function (k, i) {
      if (scores.has(i) || k.derived === MAIN_TITLE_KEY) return;  // a main title is cited whole
      // an entity beats a work, which beats a record; then the share of the name the text covers
      var within = 333 * k.rank + Math.min(332, Math.max(0, Math.floor((333 * needle.length + Math.floor(k.key.length / 2)) / Math.max(k.key.length, 1)) - 3 * k.kind));
      if (distinct.every(function (w) { return k.folded.has(w); })) scores.set(i, 3 * 2000 + within);
      else if (distinct.every(function (w) { return k.words.some(function (x) { return x.startsWith(w); }); })) scores.set(i, 2 * 2000 + within);
    });
    if (fuzzy !== false && needle.length >= 4) {
      var qsorted = qwords.slice().sort().join(" "), n = qwords.length;
      prepared.keys.forEach(function (k, i) {
        if (scores.has(i) || k.derived === MAIN_TITLE_KEY) return;
        var best = Math.max(ratio(needle, k.key), ratio(qsorted, k.words.slice().sort().join(" ")));
        for (var j = 0; k.words.length > n && j <= k.words.length - n; j++) {
          best = Math.max(best, ratio(needle, k.words.slice(j, j + n).join(" ")));
        }
        if (best >= FUZZY_MIN) scores.set(i, 2000 + best - 10 * k.kind);
      });
    }
    return scores;
  }

  function rankAll(prepared, text) {
    var scores = scored(prepared, kgNormalise(text));
    formScores(prepared, nameForms(text), kgNormalise(text)).forEach(function (score, i) {
      if (score > (scores.has(i) ? scores.get(i) : 0)) scores.set(i, score);
    });
    // each side of a slash is a name, unless the text or a name it holds is an exact name
    if (text.indexOf("/") >= 0 && Array.from(scores.values()).every(function (s) { return s < 4 * 2000; })) {
      text.split("/").forEach(function (part) {
        if (letters(part) < 2) return;
        scored(prepared, kgNormalise(part)).forEach(function (score, i) {
          scores.set(i, Math.max(scores.has(i) ? scores.get(i) : 0, score - 1));
        });
      });
    }
    var best = new Map();
    scores.forEach(function (score, i) {
      var iri = prepared.keys[i].entry.iri;
      if (!best.has(iri) || score > best.get(iri).score) best.set(iri, {score: score, i: i});
    });
    var ranked = Array.from(best.values()).map(function (b) {
      var e = prepared.keys[b.i].entry;
      return {iri: e.iri, label: e.label, cls: e.cls || "", detail: e.detail || "", score: b.score, key: b.i};
    });
    ranked.sort(function (a, b) {
      // code-point order, as Python sorts strings
      return b.score - a.score || Array.from(a.label).length - Array.from(b.label).length ||
        codepointCmp(a.label, b.label) || codepointCmp(a.iri, b.iri);
    });
    return ranked;
  }

  function kgSearch(index, text, limit) {
    var ranked = rankAll(prepare(index), String(text));
    return limit == null ? ranked : ranked.slice(0, limit);
  }

  /* kg.search.SearchIndex.is_generic: class words only, or numbers and month names only */
  function isGeneric(prepared, text, generic) {
    var words = kgNormalise(text).split(" ").filter(function (w) { return w && !STOPWORDS.has(w); }).map(prepared.sing);
    if (!words.length) return false;
    if (words.every(function (w) { return /^[0-9]+$/.test(w) || MONTHS.has(w); })) return true;
    return words.every(function (w) { return generic.has(w) && !STOPWORDS.has(w); });
  }

  /* kg.search_index.SearchIndex._said: the words of the text, and of each side of its slash, without stop words */
  function saidWords(text) {
    var parts = [text].concat(text.indexOf("/") >= 0 ? text.split("/") : []);
    return parts.map(function (part) {
      return kgNormalise(part).split(" ").filter(function (w) { return w && !STOPWORDS.has(w); });
    });
  }

  /* kg.search_index.SearchIndex._adjective: demonyms only */
  function adjective(text) {
    var words = saidWords(text)[0];
    return words.length > 0 && words.every(function (w) { return Object.prototype.hasOwnProperty.call(DEMONYMS, w); });
  }

  /* kg.search_index.SearchIndex._truncated: a whole word of the key, or each word three quarters of one it begins */
  function truncated(prepared, text, k) {
    var words = saidWords(text)[0];
    if (words.some(function (w) { return k.folded.has(prepared.sing(w)); })) return true;
    return words.length > 0 && words.every(function (w) {
      return k.words.some(function (x) { return x.startsWith(w) && 4 * Array.from(w).length >= 3 * Array.from(x).length; });
    });
  }

  /* kg.search_index._misspelling: same first letter, FUZZY_MIN similar, not the other with letters added at its end */
  function misspelling(word, key) {
    return word[0] === key[0] && !word.startsWith(key) && !key.startsWith(word) && ratio(word, key) >= FUZZY_MIN;
  }

  /* kg.search_index.SearchIndex._misspelt: each word a word of the key or a misspelling of one */
  function misspelt(prepared, text, k) {
    return saidWords(text).some(function (words) {
      return words.length > 0 && words.every(function (w) {
        var place = Object.prototype.hasOwnProperty.call(DEMONYMS, w) ? DEMONYMS[w] : null;
        return k.folded.has(prepared.sing(w)) || k.words.some(function (x) {
          return misspelling(w, x) || place !== null && Object.prototype.hasOwnProperty.call(DEMONYMS, x) && DEMONYMS[x] === place;
        });
      });
    });
  }

  /* kg.search.SearchIndex._choose: the IRI the rules take from the full ranking, or null */
  function choose(prepared, ranked, text, generic) {
    if (ranked.length && ranked[0].score < 4 * 2000 && /\s(?:and|&)\s/.test(text)) {
      // two names joined ("Junisbai and Junisbai") name a work of two authors, or two things: no person
      ranked = ranked.filter(function (r) { return r.iri.indexOf(PERSON_NAMESPACE) !== 0; });
    }
    if (!ranked.length) return null;
    var top = ranked[0], tier = 5 - Math.floor(top.score / 2000);
    var second = ranked.length > 1 ? ranked[1].score : -1e6;
    if (tier <= 1) return top.score - second >= MARGIN[tier] ? top.iri : null;
    if (isGeneric(prepared, text, generic)) return null;
    var words = prepared.keys[top.key].folded;
    var said = new Set(kgNormalise(text).split(" ").filter(Boolean).map(prepared.sing).filter(function (w) { return !STOPWORDS.has(w); }));
    var named = 0;
    words.forEach(function (w) { if (!STOPWORDS.has(w)) named++; });
    if (2 * said.size < named) return null;  // in the fuzzy tier too
    if (adjective(text)) return null;  // "Chinese", "the Uyghur": a demonym names a place only as owner
    if (tier === 3 && !truncated(prepared, text, prepared.keys[top.key])) return null;
    if (tier === 4) {
      if (!misspelt(prepared, text, prepared.keys[top.key])) return null;
      return top.score - second >= MARGIN[4] && top.score % 2000 >= FUZZY_TAKE ? top.iri : null;
    }
    var group = function (score) { return Math.floor(score / 2000) + ":" + Math.floor((score % 2000) / 333); };
    var byIri = prepared.byIri;
    return ranked.slice(1).every(function (r) {
      if (group(r.score) !== group(top.score)) return true;
      return byIri[r.iri].some(function (i) {
        var theirs = prepared.keys[i].folded;
        return Array.from(words).every(function (w) { return theirs.has(w); });
      });
    }) ? top.iri : null;
  }

  /* classLabels: the rdfs:label of every class (kg.search.class_words takes their words) */
  function kgResolve(index, text, classLabels) {
    var prepared = prepare(index), generic = new Set();
    (classLabels || []).forEach(function (l) { kgNormalise(l).split(" ").forEach(function (w) { if (w) generic.add(singular(w)); }); });
    text = String(text);
    var ranked = rankAll(prepared, text), iri = choose(prepared, ranked, text, generic);
    if (iri !== null && contradicted(prepared, text, iri).length) iri = null;
    return {iri: iri, found: ranked};
  }

  /* kg.search_index.SearchIndex.contradicted: the places or owners written with a name of the entity
   * that name entities of the index (or are demonyms) but do not hold it, or that name it as the owner of another name */
  function contradicted(prepared, text, iri) {
    var forms = nameForms(text), wrong = [], entry = prepared.keys[prepared.byIri[iri][0]].entry;
    var exact = [kgNormalise(text)].concat(forms.filter(function (f) { return f[1].indexOf("within:") !== 0; })
                                                 .map(function (f) { return f[0]; }));
    if (exact.some(function (key) {
      return Array.from(exactScores(prepared, key).keys()).some(function (i) { return prepared.keys[i].entry.iri === iri; });
    })) return wrong;
    forms.forEach(function (f) {
      if (f[1].indexOf("within:") !== 0) return;
      var places = f[1].slice(7).split("|");
      if (!namesEntity(prepared, iri, f[0])) {  // the place or owner of another name, not that name
        places.forEach(function (p) { if (namedBy(prepared, p).has(iri) && wrong.indexOf(p) < 0) wrong.push(p); });
        return;
      }
      if (!places.every(function (p) { return isPlace(prepared, p); })) return;
      places.forEach(function (p) { if (!holds(prepared, entry, f[0], p) && wrong.indexOf(p) < 0) wrong.push(p); });
    });
    return wrong;
  }

  /* kg.search_index.SearchIndex._is_place: a place, an entity some entity is within, or a demonym */
  function isPlace(prepared, place) {
    if (!prepared.containers) {
      prepared.containers = new Set();
      prepared.keys.forEach(function (k) { (k.entry.within || []).forEach(function (x) { prepared.containers.add(x); }); });
    }
    if (Object.prototype.hasOwnProperty.call(DEMONYMS, place)) return true;
    return Array.from(namedBy(prepared, place)).some(function (x) {
      return prepared.containers.has(x) || x.indexOf(PLACE_NAMESPACE) === 0;
    });
  }

  /* kg.search_index.SearchIndex._names: the name's words are words of a name of the entity, or it is
   * FUZZY_MIN similar to such a name or to as many of its words */
  function namesEntity(prepared, iri, form) {
    var words = form.split(" ").map(prepared.sing), n = words.length;
    return prepared.byIri[iri].some(function (i) {
      var k = prepared.keys[i], windows = [k.key];
      for (var j = 0; j <= k.words.length - n; j++) windows.push(k.words.slice(j, j + n).join(" "));
      return words.every(function (w) { return k.folded.has(w); }) ||
        windows.some(function (w) { return ratio(form, w) >= FUZZY_MIN; });
    });
  }

  function codepointCmp(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d) return d < 0 ? -1 : 1;
    }
    return x.length - y.length;
  }

  root.kgNormalise = kgNormalise;
  root.kgSearch = kgSearch;
  root.kgResolve = kgResolve;
  root.kgNameForms = nameForms;
  if (typeof module !== "undefined" && module.exports) {
    module.exports = {kgNormalise: kgNormalise, kgSearch: kgSearch, kgResolve: kgResolve, kgNameForms: nameForms};
  }
})(typeof window !== "undefined" ? window : globalThis);

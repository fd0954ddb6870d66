package cases

// Buyers and agents who cannot (or do not want to) type Chinese write the
// review words in pinyin: "hao ping", "haoping fanxian", "zhui-ping",
// "hao3ping2". The guard reads them as the characters, so every rule about
// 好评 or 返现 applies to them too.
var pinyinWords = map[string]string{
	"haoping": "好评", "chaping": "差评", "zhongping": "中评", "zhuiping": "追评", "pingjia": "评价",
	"pinglun": "评论", "pingfen": "评分", "dafen": "打分", "manfen": "满分", "wuxing": "五星",
	"fanxian": "返现", "hongbao": "红包", "shaitu": "晒图", "shaidan": "晒单", "shanping": "删评",
	"gaiping": "改评", "xiugai": "修改", "shanchu": "删除", "youhuiquan": "优惠券", "tuikuan": "退款",
	"haopingfanxian": "好评返现", "wuxinghaoping": "五星好评", "gaicheng": "改成", "jiufan": "就返", "jiusong": "就送",
	"fanli": "返利", "zengpin": "赠品", "lipin": "礼品", "liwu": "礼物", "youli": "有礼", "songli": "送礼",
}

// pinyinTokens rewrites pinyin review words, written as one word or as
// syllables in a row (at most four tokens), as a Chinese run, and joins it
// with the Chinese runs around it as lexGuard joins characters separated by
// spaces.
func pinyinTokens(toks []token) []token {
	var out []token // allocated at the first rewrite only
	for i := 0; i < len(toks); i++ {
		han, n := "", 0
		cur := ""
		for j := i; j < len(toks) && j < i+4 && toks[j].kind == tokWord; j++ {
			syl, ok := pinyinSyllable(toks[j].text)
			if !ok {
				break
			}
			if cur == "" {
				cur = syl
			} else {
				cur += syl
			}
			if !pinyinPrefixes[cur] {
				break
			}
			if h, ok := pinyinWords[cur]; ok {
				han, n = h, j-i+1
			}
		}
		if n == 0 {
			if out != nil {
				out = append(out, toks[i])
			}
			continue
		}
		if out == nil {
			out = append(make([]token, 0, len(toks)), toks[:i]...)
		}
		if k := len(out); k > 0 && out[k-1].kind == tokHan {
			out[k-1].text += han
		} else {
			out = append(out, token{kind: tokHan, text: han})
		}
		i += n - 1
		if i+1 < len(toks) && toks[i+1].kind == tokHan {
			out[len(out)-1].text += toks[i+1].text
			i++
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// pinyinPrefixes: every prefix of a word above, so a reading stops at the
// first word that cannot begin or continue one.
var pinyinPrefixes = func() map[string]bool {
	m := map[string]bool{}
	for w := range pinyinWords {
		for i := 1; i <= len(w); i++ {
			m[w[:i]] = true
		}
	}
	return m
}()

// pinyinSyllable: a word of ASCII letters, tone digits dropped.
func pinyinSyllable(w string) (string, bool) {
	digits := false
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case c >= 'a' && c <= 'z':
		case c >= '1' && c <= '5':
			digits = true
		default:
			return "", false
		}
	}
	if !digits {
		return w, w != ""
	}
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if w[i] >= 'a' && w[i] <= 'z' {
			b = append(b, w[i])
		}
	}
	return string(b), len(b) > 0
}
